/**
 * Builds `@nonlin/core` and `@nonlin/workers` as Node users receive them from JSR's npm layer
 * (ES modules, one `.js` file per module, imports ending in `.js`, bare imports of the packages
 * resolved through `node_modules`), then runs `node_smoke.mjs` on them under the machine's
 * `node`: core's README examples, the activations, and WorkerPool runs compared bit for bit
 * with one thread, an abort, faults and a clean exit. Prints what Node computed as JSON.
 *
 *     deno run -A workers/testdata/node_build.ts [--keep]
 *
 * `deno task test:node` runs it; `node_test.ts` compares its output with Deno's own results.
 * Each module is transpiled alone by `deno bundle --inline-imports=false`.
 *
 * @module
 */

import { dirname, join, relative } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const PACKAGES = ["core", "workers"];

/** The local modules the packages' exports reach, and the path of each npm package used. */
async function graph(): Promise<{ files: string[]; npm: Map<string, string> }> {
  const entries: string[] = [];
  for (const name of PACKAGES) {
    const config = JSON.parse(await Deno.readTextFile(join(ROOT, name, "deno.json")));
    for (const path of Object.values(config.exports as Record<string, string>)) {
      entries.push(join(ROOT, name, path));
    }
  }
  // The faulty worker of the fault tests rides along, beside the package's own modules.
  entries.push(join(ROOT, "workers/testdata/faulty_worker.ts"));
  const files = new Set<string>(), npm = new Map<string, string>();
  for (const entry of entries) {
    const info = JSON.parse(await run(Deno.execPath(), ["info", "--json", entry], ROOT));
    for (const m of info.modules) {
      if (m.specifier.startsWith("file://")) files.add(fromFileUrl(m.specifier));
    }
    for (
      const p of Object.values(info.npmPackages ?? {}) as { name: string; localPath: string }[]
    ) {
      npm.set(p.name, p.localPath);
    }
  }
  return { files: [...files].filter((f) => !f.endsWith(".json")), npm };
}

async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(cmd, { args, cwd }).output();
  const out = new TextDecoder().decode(stdout);
  if (code !== 0) {
    throw new Error(`${cmd} ${args[0]} exited with ${code}:\n${new TextDecoder().decode(stderr)}`);
  }
  return out;
}

/** Relative imports end in `.js`, as in JSR's npm packages. */
function rewriteImports(code: string): string {
  return code.replace(
    /((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)\.ts(["'])/g,
    (_, head, path, tail) => `${head}${path}.js${tail}`,
  );
}

/** Each package's package.json: its exports pointing at `.js` files, ESM. */
async function packageJson(name: string): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, name, "deno.json")));
  const exports = Object.fromEntries(
    Object.entries(config.exports as Record<string, string>).map((
      [key, path],
    ) => [key, path.replace(/\.ts$/, ".js")]),
  );
  return JSON.stringify({ name: config.name, version: config.version, type: "module", exports });
}

/** core's README examples, each a module of its own. */
async function readmeExamples(dir: string): Promise<string[]> {
  const readme = await Deno.readTextFile(join(ROOT, "core/README.md"));
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const files: string[] = [];
  for (const [i, code] of blocks.entries()) {
    const file = join(dir, `readme_${i}.ts`);
    await Deno.writeTextFile(file, code);
    files.push(file);
  }
  return files;
}

/** Builds into a fresh folder; returns it with the examples' built paths. */
export async function build(): Promise<{ dir: string; examples: string[] }> {
  const dir = await Deno.makeTempDir({ prefix: "nonlin-node-" });
  const { files, npm } = await graph();
  const sources = join(dir, "examples");
  await Deno.mkdir(sources);
  const examples = await readmeExamples(sources);
  const out = join(dir, "out");
  await run(Deno.execPath(), [
    "bundle",
    "--quiet",
    "--inline-imports=false",
    "--packages=external",
    "--platform=browser",
    `--outdir=${out}`,
    ...files,
    ...examples,
  ], ROOT);
  // The bundler mirrors the paths below the folder common to every input.
  const common = commonDir([...files, ...examples]);
  const modules = join(dir, "node_modules");
  for (const file of [...files, ...examples]) {
    const built = join(out, relative(common, file)).replace(/\.ts$/, ".js");
    const target = file.startsWith(sources)
      ? join(sources, relative(sources, file)).replace(/\.ts$/, ".mjs")
      : join(modules, "@nonlin", relative(ROOT, file)).replace(/\.ts$/, ".js");
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.writeTextFile(target, rewriteImports(await Deno.readTextFile(built)));
  }
  for (const name of PACKAGES) {
    await Deno.writeTextFile(
      join(modules, "@nonlin", name, "package.json"),
      await packageJson(name),
    );
  }
  for (const [name, path] of npm) {
    if (name !== "comlink") continue; // the only runtime dependency; the rest serve the tests
    await run("cp", ["-r", path, join(modules, name)], ROOT);
  }
  await Deno.copyFile(
    fromFileUrl(new URL("./node_smoke.mjs", import.meta.url)),
    join(dir, "smoke.mjs"),
  );
  return { dir, examples: examples.map((f) => f.replace(/\.ts$/, ".mjs")) };
}

function commonDir(paths: string[]): string {
  let common = dirname(paths[0]);
  const under = (p: string) => p.startsWith(common.endsWith("/") ? common : common + "/");
  while (!paths.every(under)) common = dirname(common);
  return common;
}

/**
 * Runs the smoke test under `node` in the built folder; resolves with its JSON output. A
 * process that does not exit by itself within `timeoutMs` is killed and reported as hanging.
 */
export async function smoke(
  dir: string,
  examples: string[],
  timeoutMs = 120_000,
): Promise<unknown> {
  const child = new Deno.Command("node", {
    args: ["smoke.mjs", ...examples],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const { code, stdout, stderr } = await child.output();
  clearTimeout(timer);
  const out = new TextDecoder().decode(stdout), err = new TextDecoder().decode(stderr);
  if (hung) throw new Error(`node did not exit by itself within ${timeoutMs} ms:\n${out}${err}`);
  if (code !== 0) throw new Error(`node exited with ${code}:\n${out}${err}`);
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

if (import.meta.main) {
  const { dir, examples } = await build();
  try {
    console.log(JSON.stringify(await smoke(dir, examples)));
  } finally {
    if (Deno.args.includes("--keep")) console.error(`Built in ${dir}`);
    else await Deno.remove(dir, { recursive: true });
  }
}
