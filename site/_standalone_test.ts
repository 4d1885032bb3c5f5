import assert from "node:assert/strict";
import { BUILD_DIR, SITE_DIR } from "./_paths.ts";
import {
  npmPackageName,
  readStandaloneConfig,
  standaloneConfig,
  TEST_ONLY_PACKAGES,
  writeStandaloneConfig,
} from "./_standalone.ts";

/**
 * The issue's budget for what starting the site may fetch (issue 15: under 40 MB from a cold
 * cache). The installed packages are the bulk of it; `deno bundle`'s esbuild is the rest.
 */
const NPM_BUDGET_BYTES = 30 * 1024 * 1024;

Deno.test("npmPackageName() names the package of an npm target, scoped or not", () => {
  assert.equal(npmPackageName("npm:preact@10.29.8"), "preact");
  assert.equal(npmPackageName("npm:preact@10.29.8/hooks"), "preact");
  assert.equal(npmPackageName("npm:/comlink@4.4.2/"), "comlink");
  assert.equal(npmPackageName("npm:@observablehq/plot@0.6.17"), "@observablehq/plot");
  assert.equal(npmPackageName("npm:katex"), "katex");
  assert.equal(npmPackageName("jsr:@std/assert@1"), undefined);
  assert.equal(npmPackageName("./mod.ts"), undefined);
});

Deno.test("standaloneConfig() maps each package export to its file and drops test-only packages", () => {
  const config = standaloneConfig(
    { compilerOptions: { strict: true, lib: ["deno.window"] } },
    {
      compilerOptions: { jsx: "react-jsx", lib: ["deno.window", "dom"] },
      imports: { preact: "npm:preact@10.29.8", "puppeteer-core": "npm:puppeteer-core@25.16.0" },
    },
    {
      core: {
        name: "@nonlin/core",
        exports: { ".": "./mod.ts", "./leaky-relu": "./leaky_relu.ts" },
      },
      workers: {
        name: "@nonlin/workers",
        exports: "./mod.ts",
        imports: { comlink: "npm:comlink@4.4.2", "fast-check": "npm:fast-check@4.11.0" },
      },
      bench: { imports: { "@tensorflow/tfjs-core": "npm:@tensorflow/tfjs-core@4.22.0" } },
    },
    "../..",
  );
  assert.deepEqual(config, {
    lock: false,
    nodeModulesDir: "none",
    compilerOptions: { strict: true, jsx: "react-jsx", lib: ["deno.window", "dom"] },
    imports: {
      preact: "npm:preact@10.29.8",
      "@nonlin/core": "../../core/mod.ts",
      "@nonlin/core/leaky-relu": "../../core/leaky_relu.ts",
      "@nonlin/workers": "../../workers/mod.ts",
      comlink: "npm:comlink@4.4.2",
    },
  });
});

Deno.test("standaloneConfig() refuses two pins of one specifier", () => {
  assert.throws(
    () =>
      standaloneConfig({}, { imports: { comlink: "npm:comlink@4.4.1" } }, {
        workers: {
          name: "@nonlin/workers",
          exports: {},
          imports: { comlink: "npm:comlink@4.4.2" },
        },
      }, "../.."),
    /Cannot map "comlink" for the site: workers\/deno.json maps it to "npm:comlink@4.4.2"/,
  );
});

Deno.test("readStandaloneConfig() takes the site's pins from site/deno.json, none of the other members'", async () => {
  const config = await readStandaloneConfig();
  const site = JSON.parse(await Deno.readTextFile(`${SITE_DIR}/deno.json`));
  for (const [specifier, target] of Object.entries<string>(site.imports)) {
    if (TEST_ONLY_PACKAGES.has(npmPackageName(target) ?? "")) {
      assert.equal(config.imports[specifier], undefined, specifier);
    } else {
      assert.equal(config.imports[specifier], target, specifier);
    }
  }
  assert.equal(config.imports["@nonlin/core"], "../../core/mod.ts");
  assert.equal(config.imports["@nonlin/workers/worker"], "../../workers/worker.ts");
  assert.equal(config.compilerOptions.jsxImportSource, "preact");
  const packages = Object.values(config.imports).map(npmPackageName).filter((name) => name);
  for (const name of packages) assert.ok(!name!.startsWith("@tensorflow/"), name);
});

interface DenoInfo {
  modules: { kind: string; npmPackage?: string }[];
  npmPackages: Record<string, { name: string; dependencies: string[]; localPath?: string }>;
}

async function diskBytes(path: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(path)) {
    const child = `${path}/${entry.name}`;
    if (entry.isDirectory) total += await diskBytes(child);
    else if (entry.isFile) total += (await Deno.stat(child)).size;
  }
  return total;
}

Deno.test({
  name:
    "the standalone configuration maps only npm packages the site loads, within the download budget",
  async fn() {
    const config = await writeStandaloneConfig();
    // Everything start.ts runs with it: the server (which renders every island), the islands'
    // hydration entry and the pool's worker, as the asset build bundles them.
    const dir = await Deno.makeTempDir({ dir: BUILD_DIR, prefix: ".graph-" });
    try {
      const entry = `${dir}/entry.ts`;
      await Deno.writeTextFile(
        entry,
        `import "${SITE_DIR}/main.ts";\nimport "${SITE_DIR}/islands/_hydrate.ts";\n` +
          `import "@nonlin/workers/worker";\n`,
      );
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["info", "--json", `--config=${config}`, "--no-lock", entry],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(code, 0, new TextDecoder().decode(stderr));
      const info: DenoInfo = JSON.parse(new TextDecoder().decode(stdout));
      const loaded = new Set(
        info.modules.flatMap((module) =>
          module.kind === "npm" && module.npmPackage
            ? [info.npmPackages[module.npmPackage].name]
            : []
        ),
      );
      const { imports } = JSON.parse((await Deno.readTextFile(config)).replace(/^\/\/.*\n/, ""));
      const mapped = new Set(
        Object.values<string>(imports).flatMap((t) => npmPackageName(t) ?? []),
      );
      // Deno installs every package of the map, so one the site does not load is dead weight.
      assert.deepEqual(
        [...mapped].filter((name) => !loaded.has(name)),
        [],
        "mapped but never loaded: add it to TEST_ONLY_PACKAGES in _standalone.ts",
      );
      assert.deepEqual([...loaded].filter((name) => !mapped.has(name)), []);
      let bytes = 0;
      for (const npmPackage of Object.values(info.npmPackages)) {
        if (npmPackage.localPath) bytes += await diskBytes(npmPackage.localPath);
      }
      assert.ok(
        bytes < NPM_BUDGET_BYTES,
        `The site's npm packages take ${(bytes / 2 ** 20).toFixed(1)} MiB, over the ${
          NPM_BUDGET_BYTES / 2 ** 20
        } MiB budget`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
