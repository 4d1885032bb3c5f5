/**
 * Generates the site's browser assets into `site/_build/`:
 *
 * - `islands/<name>.js`: one bundle per island (made by `deno bundle` with code splitting, so
 *   Preact, Plot and the library are shared chunks), plus `_pool_worker.js`, the worker of
 *   `@nonlin/workers`' pool for the parallel demo;
 * - `api/`: the API reference from `deno doc --html`.
 *
 * The server and the static export both call {@linkcode buildAssets} before serving or copying.
 *
 * @module
 */

import { BUILD_DIR, ROOT_DIR, SITE_DIR } from "./_paths.ts";
import { ISLANDS } from "./islands/mod.ts";
import { finishApiDocs } from "./_api.ts";
import { ACTIVATIONS } from "@nonlin/core";
import { CONFIG_ENV } from "./_standalone.ts";

/** Options of {@linkcode buildAssets}. */
export interface BuildAssetsOptions {
  /** Also generate the API reference (the slowest step). @default {true} */
  docs?: boolean;
  /** Minify the bundles. @default {true} */
  minify?: boolean;
  /** Print progress. @default {false} */
  verbose?: boolean;
  /**
   * The Deno configuration file `deno bundle` and `deno doc` run with, instead of the workspace's:
   * `start.ts` passes the site's standalone one, so that they fetch no other member's packages.
   * @default {Deno.env.get("NONLIN_SITE_CONFIG")}
   */
  config?: string;
}

/** The library entry points the API reference documents, those that exist. */
export async function documentedModules(): Promise<string[]> {
  const candidates = ["core/mod.ts", "core/testing.ts", "workers/mod.ts"];
  const found: string[] = [];
  for (const path of candidates) {
    try {
      await Deno.stat(`${ROOT_DIR}/${path}`);
      found.push(path);
    } catch {
      // A package still being written has no entry point yet; document the others.
    }
  }
  return found;
}

/** The configuration file {@linkcode run} passes, if any (see {@linkcode BuildAssetsOptions}). */
function configFile(options: BuildAssetsOptions): string | undefined {
  return options.config ?? Deno.env.get(CONFIG_ENV);
}

async function run(args: string[], what: string, config?: string): Promise<void> {
  const [command, ...rest] = args;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    // `--no-lock` as well: `deno doc` reads the workspace's lockfile despite the configuration's
    // `"lock": false`, and installs every package in it.
    args: config === undefined ? args : [command, `--config=${config}`, "--no-lock", ...rest],
    cwd: ROOT_DIR,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(
      `Cannot ${what}: deno ${args[0]} exited with ${code}\n${new TextDecoder().decode(stderr)}`,
    );
  }
}

/** Bundles every island and the demo worker into `_build/islands/`. */
export async function bundleIslands(options: BuildAssetsOptions = {}): Promise<void> {
  // Entries are written afresh by each build into a folder of its own, so parallel builds
  // (a test run beside a dev server) never read each other's half-written files.
  await Deno.mkdir(BUILD_DIR, { recursive: true });
  const entries = await Deno.makeTempDir({ dir: BUILD_DIR, prefix: ".entries-" });
  const files: string[] = [];
  for (const name of Object.keys(ISLANDS)) {
    const file = `${entries}/${name}.ts`;
    // Generated like Fresh's island entries: import the component, hydrate its instances.
    await Deno.writeTextFile(
      file,
      `import { hydrateIslands } from "${SITE_DIR}/islands/_hydrate.ts";\n` +
        `import Island from "${SITE_DIR}/islands/${name}.tsx";\n` +
        `hydrateIslands(${JSON.stringify(name)}, Island);\n`,
    );
    files.push(file);
  }
  // The pool's worker is bundled too (the pool loads it by URL); its entry sits beside the
  // others so that every bundle lands flat in islands/.
  const worker = `${entries}/_pool_worker.ts`;
  await Deno.writeTextFile(worker, `import "@nonlin/workers/worker";\n`);
  files.push(worker);
  const temporary = await Deno.makeTempDir({ dir: BUILD_DIR, prefix: ".islands-" });
  try {
    await run(
      [
        "bundle",
        "--quiet",
        "--platform=browser",
        "--code-splitting",
        ...(options.minify ?? true ? ["--minify"] : []),
        "--sourcemap=linked",
        `--outdir=${temporary}`,
        ...files,
      ],
      "bundle the islands",
      configFile(options),
    );
    await replaceDir(temporary, `${BUILD_DIR}/islands`);
  } finally {
    await Deno.remove(temporary, { recursive: true }).catch(() => {});
    await Deno.remove(entries, { recursive: true }).catch(() => {});
  }
}

/**
 * Moves a freshly built folder into place, so a server reading the old one never sees a
 * half-written bundle and two builds running at once do not mix their files.
 */
async function replaceDir(from: string, to: string): Promise<void> {
  // Temporary folders are private to their owner; the built one is served and copied.
  await Deno.chmod(from, 0o755);
  const old = `${to}.old-${crypto.randomUUID()}`;
  await Deno.rename(to, old).catch(() => {});
  try {
    await Deno.rename(from, to);
  } catch (error) {
    // Another build put its copy in place first; it was built from the same sources.
    if (!(await exists(to))) throw error;
  }
  await Deno.remove(old, { recursive: true }).catch(() => {});
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Generates the API reference into `_build/api/`. */
export async function buildApiDocs(options: BuildAssetsOptions = {}): Promise<void> {
  const modules = await documentedModules();
  if (modules.length === 0) return;
  await Deno.mkdir(BUILD_DIR, { recursive: true });
  const temporary = await Deno.makeTempDir({ dir: BUILD_DIR, prefix: ".api-" });
  try {
    await run(
      ["doc", "--quiet", "--html", "--name=nonlin", `--output=${temporary}`, ...modules],
      "generate the API reference",
      configFile(options),
    );
    await finishApiDocs(temporary, ACTIVATIONS);
    await replaceDir(temporary, `${BUILD_DIR}/api`);
  } finally {
    await Deno.remove(temporary, { recursive: true }).catch(() => {});
  }
}

/** Builds all assets (see the module doc). */
export async function buildAssets(options: BuildAssetsOptions = {}): Promise<void> {
  const started = performance.now();
  await Promise.all([
    bundleIslands(options),
    options.docs ?? true ? buildApiDocs(options) : Promise.resolve(),
  ]);
  if (options.verbose) {
    console.log(`Built site assets in ${Math.round(performance.now() - started)} ms`);
  }
}

if (import.meta.main) {
  await buildAssets({ verbose: true });
}
