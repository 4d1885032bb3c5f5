/**
 * The site's standalone Deno configuration: the workspace's `deno.json` files reduced to what the
 * server and its browser bundles load.
 *
 * Deno 2 installs every npm package a workspace declares (all members' import maps and the
 * lockfile's npm section) as soon as a program loads its first npm module, whether or not the
 * program uses them: from a cold cache, serving the site fetched about 230 MB (TensorFlow.js for
 * the benchmarks, binaryen and AssemblyScript for the kernel build, puppeteer for the browser
 * tests). Run with this configuration instead (`--config`), the server and the `deno bundle` and
 * `deno doc` it runs see only the site's packages and the library's own files.
 *
 * Nothing is written out twice: the configuration is derived, each time the site starts, from
 * `site/deno.json` (its import map and compiler options, over the root's) and from the workspace's
 * packages (each `exports` entry mapped to its file, and the package's import map). Only the
 * packages in {@linkcode TEST_ONLY_PACKAGES} are left out.
 *
 * @module
 */

import { BUILD_DIR, ROOT_DIR, SITE_DIR } from "./_paths.ts";

/**
 * npm packages the members declare for their tests only, which neither the server nor a page ever
 * loads: puppeteer-core and axe-core drive and audit Chromium in the end-to-end tests; fast-check
 * and decimal.js are the property tests' generators and reference arithmetic.
 * `_standalone_test.ts` fails if a package the site does not load is left in the map.
 */
export const TEST_ONLY_PACKAGES: ReadonlySet<string> = new Set([
  "puppeteer-core",
  "axe-core",
  "fast-check",
  "decimal.js",
]);

/** The environment variable through which `start.ts` tells the asset build the configuration. */
export const CONFIG_ENV = "NONLIN_SITE_CONFIG";

/** Where {@linkcode writeStandaloneConfig} puts the configuration. */
export const STANDALONE_CONFIG: string = `${BUILD_DIR}/start.jsonc`;

/** The parts of a `deno.json` this module reads. */
export interface DenoJson {
  /** The package name, for a workspace member that is a package. */
  name?: string;
  /** The package's entry points: `"."` and `"./subpath"` to files relative to the folder. */
  exports?: string | Record<string, string>;
  /** The import map. */
  imports?: Record<string, string>;
  /** TypeScript and JSX settings. */
  compilerOptions?: Record<string, unknown>;
  /** The workspace members, at the root. */
  workspace?: string[];
}

/** The generated configuration. */
export interface StandaloneConfig {
  /** Always `false`: the workspace's lockfile would bring every package back. */
  lock: false;
  /** Always `"none"`: packages are read from Deno's global cache, as in the workspace. */
  nodeModulesDir: "none";
  /** The root's compiler options with the site's over them. */
  compilerOptions: Record<string, unknown>;
  /** The site's and the packages' import maps, and each package export mapped to its file. */
  imports: Record<string, string>;
}

/**
 * The npm package an import map target names, or `undefined` for anything else:
 * `npm:preact@10.29.8/hooks` and `npm:/comlink@4.4.2/` name `preact` and `comlink`.
 */
export function npmPackageName(target: string): string | undefined {
  const match = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)/.exec(target);
  return match?.[1];
}

/**
 * Derives the standalone configuration from the workspace's configuration files.
 *
 * @param root The root `deno.json`.
 * @param site `site/deno.json`.
 * @param members Every workspace member's `deno.json`, by its folder relative to the root
 *   (`"core"`); those with a `name` and `exports` are the packages, and only their files and
 *   imports are mapped.
 * @param fromConfig The path from the folder the configuration will live in back to the root
 *   (`"../.."` for `site/_build/`), which the package files are mapped under.
 * @throws {Error} If two import maps give one specifier different targets.
 *
 * @example Usage
 * ```ts
 * import { standaloneConfig } from "./_standalone.ts";
 * import assert from "node:assert/strict";
 *
 * const config = standaloneConfig(
 *   { compilerOptions: { strict: true } },
 *   { imports: { preact: "npm:preact@10.29.8", "axe-core": "npm:axe-core@4.14.1" } },
 *   { core: { name: "@nonlin/core", exports: { ".": "./mod.ts", "./tensor": "./tensor.ts" } } },
 *   "../..",
 * );
 * assert.deepEqual(config.imports, {
 *   preact: "npm:preact@10.29.8",
 *   "@nonlin/core": "../../core/mod.ts",
 *   "@nonlin/core/tensor": "../../core/tensor.ts",
 * });
 * ```
 */
export function standaloneConfig(
  root: DenoJson,
  site: DenoJson,
  members: Record<string, DenoJson>,
  fromConfig: string,
): StandaloneConfig {
  const imports: Record<string, string> = {};
  const add = (specifier: string, target: string, from: string): void => {
    if (specifier in imports && imports[specifier] !== target) {
      throw new Error(
        `Cannot map "${specifier}" for the site: ${from} maps it to "${target}", ` +
          `another member to "${imports[specifier]}"`,
      );
    }
    imports[specifier] = target;
  };
  const addImportMap = (map: Record<string, string> | undefined, from: string): void => {
    for (const [specifier, target] of Object.entries(map ?? {})) {
      const name = npmPackageName(target);
      if (name !== undefined && TEST_ONLY_PACKAGES.has(name)) continue;
      add(specifier, target, from);
    }
  };
  addImportMap(site.imports, "site/deno.json");
  for (const [folder, member] of Object.entries(members)) {
    if (member.name === undefined || member.exports === undefined) continue;
    const exports = typeof member.exports === "string" ? { ".": member.exports } : member.exports;
    for (const [key, file] of Object.entries(exports)) {
      const specifier = key === "." ? member.name : `${member.name}/${key.replace(/^\.\//, "")}`;
      add(specifier, `${fromConfig}/${folder}/${file.replace(/^\.\//, "")}`, `${folder}/deno.json`);
    }
    addImportMap(member.imports, `${folder}/deno.json`);
  }
  return {
    lock: false,
    nodeModulesDir: "none",
    compilerOptions: { ...root.compilerOptions, ...site.compilerOptions },
    imports,
  };
}

async function readJson(path: string): Promise<DenoJson> {
  return JSON.parse(await Deno.readTextFile(path));
}

/** Reads the workspace's configuration files and derives the site's (see the module doc). */
export async function readStandaloneConfig(): Promise<StandaloneConfig> {
  const root = await readJson(`${ROOT_DIR}/deno.json`);
  const members: Record<string, DenoJson> = {};
  for (const entry of root.workspace ?? []) {
    const folder = entry.replace(/^\.\//, "").replace(/\/$/, "");
    if (`${ROOT_DIR}/${folder}` === SITE_DIR) continue;
    members[folder] = await readJson(`${ROOT_DIR}/${folder}/deno.json`);
  }
  const site = await readJson(`${SITE_DIR}/deno.json`);
  return standaloneConfig(root, site, members, "../..");
}

/**
 * Writes the site's standalone configuration to `site/_build/start.jsonc` (replacing it whole, so
 * a site starting at the same time never reads half a file) and returns its path.
 */
export async function writeStandaloneConfig(): Promise<string> {
  const config = await readStandaloneConfig();
  await Deno.mkdir(BUILD_DIR, { recursive: true });
  const temporary = await Deno.makeTempFile({
    dir: BUILD_DIR,
    prefix: ".start-",
    suffix: ".jsonc",
  });
  try {
    await Deno.writeTextFile(
      temporary,
      "// Generated by site/start.ts from the workspace's deno.json files; edit those instead.\n" +
        JSON.stringify(config, null, 2) + "\n",
    );
    // Temporary files are private to their owner; the configuration is read like a source file.
    if (Deno.build.os !== "windows") await Deno.chmod(temporary, 0o644);
    await Deno.rename(temporary, STANDALONE_CONFIG);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
  return STANDALONE_CONFIG;
}
