/**
 * Exports the site as static files, to `site/dist/` by default, that any static file server
 * shows the same as the live server: every route as `<path>/index.html`, `404.html`, and the
 * static files, island bundles, API reference and KaTeX assets under the same URLs.
 *
 * ```sh
 * deno run -A site/build.ts [--out=site/dist]
 * ```
 *
 * Pages are produced by the live server's own handler, so the two cannot drift apart.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { buildAssets } from "./assets.ts";
import { KATEX_URL_PREFIX, katexDistDir } from "./_katex.ts";
import { BENCH_RESULTS, BUILD_DIR, DIST_DIR, STATIC_DIR, VERIFY_RESULTS } from "./_paths.ts";
import { ROUTES } from "./routes.ts";
import { createHandler } from "./server.ts";

/** Options of {@linkcode exportSite}. */
export interface ExportOptions {
  /** Output folder; emptied first. @default {"site/dist"} */
  outDir?: string;
  /** Build the browser assets first. @default {true} */
  assets?: boolean;
  /** Folder of built assets to copy. @default {"site/_build"} */
  buildDir?: string;
  /** Static files to copy. @default {"site/static"} */
  staticDir?: string;
  /** Benchmark results the benchmarks page shows. @default {"bench/results/latest.json"} */
  benchResults?: string;
  /** Path of the accuracy verification's results (default `bench/results/verify.json`). */
  verifyResults?: string;
}

/** What {@linkcode exportSite} wrote. */
export interface ExportSummary {
  /** URL paths of the pages written. */
  pages: string[];
  /** The output folder. */
  outDir: string;
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    // Dot-files are build leftovers or private; the server never serves them either.
    if (entry.name.startsWith(".")) continue;
    const source = `${from}/${entry.name}`;
    const target = `${to}/${entry.name}`;
    if (entry.isDirectory) await copyDir(source, target);
    else if (entry.isFile) await Deno.copyFile(source, target);
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/** Writes the static export (see the module doc). */
export async function exportSite(options: ExportOptions = {}): Promise<ExportSummary> {
  const outDir = options.outDir ?? DIST_DIR;
  const buildDir = options.buildDir ?? BUILD_DIR;
  const staticDir = options.staticDir ?? STATIC_DIR;
  if (options.assets ?? true) await buildAssets({ docs: true });
  await Deno.remove(outDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(outDir, { recursive: true });

  const handler = createHandler({
    buildDir,
    staticDir,
    benchResults: options.benchResults ?? BENCH_RESULTS,
    verifyResults: options.verifyResults ?? VERIFY_RESULTS,
  });
  // The reference goes first: the site's own `/api/` landing page then replaces the index
  // `deno doc` wrote, as it does on the live server.
  if (await isDir(`${buildDir}/api`)) await copyDir(`${buildDir}/api`, `${outDir}/api`);
  const pages: string[] = [];
  for (const route of ROUTES) {
    for (const path of route.paths()) {
      const response = await handler(new Request(new URL(path, "http://export.invalid")));
      if (response.status !== 200) {
        throw new Error(`Cannot export ${path}: the site answered ${response.status}`);
      }
      const dir = path === "/" ? outDir : `${outDir}${path}`;
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeTextFile(`${dir}/index.html`, await response.text());
      pages.push(path);
    }
  }
  const missing = await handler(new Request("http://export.invalid/404"));
  await Deno.writeTextFile(`${outDir}/404.html`, await missing.text());

  await copyDir(staticDir, `${outDir}/static`);
  await Deno.copyFile(`${staticDir}/favicon.svg`, `${outDir}/favicon.ico`);
  if (await isDir(`${buildDir}/islands`)) {
    await copyDir(`${buildDir}/islands`, `${outDir}/build/islands`);
  }
  const katex = katexDistDir();
  const katexOut = `${outDir}${KATEX_URL_PREFIX}`;
  await Deno.mkdir(katexOut, { recursive: true });
  await Deno.copyFile(`${katex}/katex.min.css`, `${katexOut}katex.min.css`);
  await copyDir(`${katex}/fonts`, `${katexOut}fonts`);
  return { pages, outDir };
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { out: { type: "string" } } });
  const summary = await exportSite(values.out ? { outDir: values.out } : {});
  console.log(`Exported ${summary.pages.length} pages to ${summary.outDir}`);
}
