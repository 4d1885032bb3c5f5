/**
 * KaTeX on the server: formulas become HTML (with MathML for screen readers) before the page
 * leaves, so no KaTeX JavaScript is ever shipped. Its stylesheet and fonts are served from the
 * npm package itself, under a path that carries the version so browsers may cache them forever.
 */

import katex from "katex";

/** The version of the KaTeX package the site uses, taken from its resolved location. */
export const KATEX_VERSION: string = katex.version;

/** URL prefix under which the KaTeX `dist/` folder is served. */
export const KATEX_URL_PREFIX: string = `/vendor/katex@${KATEX_VERSION}/`;

/** URL of the KaTeX stylesheet. */
export const KATEX_CSS_URL: string = `${KATEX_URL_PREFIX}katex.min.css`;

/** Options of {@linkcode renderTex}. */
export interface RenderTexOptions {
  /** Render as a display (block) formula. @default {false} */
  display?: boolean;
}

/**
 * Renders LaTeX to HTML; a formula KaTeX cannot parse is shown as its source in red rather
 * than breaking the page.
 */
export function renderTex(tex: string, options: RenderTexOptions = {}): string {
  return katex.renderToString(tex, {
    displayMode: options.display ?? false,
    throwOnError: false,
    output: "htmlAndMathml",
  });
}

/** The folder of the installed KaTeX package's `dist/`, holding the stylesheet and fonts. */
export function katexDistDir(): string {
  // The package's entry point lives in dist/, next to katex.min.css and fonts/.
  const entry = new URL(import.meta.resolve("katex"));
  if (entry.protocol !== "file:") {
    throw new Error(`Cannot locate KaTeX files: resolved to ${entry.href}, expected a file URL`);
  }
  return decodeURIComponent(new URL(".", entry).pathname).replace(/\/$/, "");
}
