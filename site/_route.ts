/** The shape of a route module's export, and what routes may ask of the site. */

import type { Page } from "./render.tsx";

/** Site-wide settings routes read at render time. */
export interface SiteContext {
  /** Path of the benchmark results JSON (`bench/results/latest.json`). */
  benchResults: string;
  /** Path of the accuracy verification's results (`bench/results/verify.json`). */
  verifyResults: string;
}

/** One page, or a family of pages under a pattern like `/activations/:name`. */
export interface Route {
  /** A `URLPattern` pathname without trailing slash, e.g. `/compare`. */
  pattern: string;
  /** Every concrete path, for the static export. */
  paths(): string[];
  /**
   * Files the page reads when it renders, if any. The server renders each page once and serves
   * it from memory; a page with inputs is rendered again whenever one of them changes.
   */
  inputs?(context: SiteContext): string[];
  /**
   * Where the page for these parameters really lives, when they name it under another
   * spelling (`/activations/leakyrelu` for `/activations/leakyRelu`): the server redirects
   * there instead of rendering.
   */
  redirect?(params: Record<string, string>): string | undefined;
  /** Renders the page for the matched parameters, or `null` when there is no such page. */
  render(params: Record<string, string>, context: SiteContext): Page | null | Promise<Page | null>;
}
