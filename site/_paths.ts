/** Where the site's folders are, as absolute file paths. */

const here = (relative: string): string =>
  decodeURIComponent(new URL(relative, import.meta.url).pathname).replace(/\/$/, "");

/** The `site/` folder. */
export const SITE_DIR: string = here(".");
/** The workspace root holding `site/`, `core/`, `bench/`. */
export const ROOT_DIR: string = here("..");
/** Hand-written static files, served under `/static/`. */
export const STATIC_DIR: string = here("./static");
/** Generated assets (island bundles, API docs), git-ignored, served under `/build/` and `/api/`. */
export const BUILD_DIR: string = here("./_build");
/** The static export, git-ignored. */
export const DIST_DIR: string = here("./dist");
/** The benchmark results the benchmarks page shows. */
export const BENCH_RESULTS: string = here("../bench/results/latest.json");
/** The exhaustive accuracy verification's results the accuracy page shows. */
export const VERIFY_RESULTS: string = here("../bench/results/verify.json");
