/**
 * The document shell every page shares: head, skip link, navigation, footer and the island
 * scripts the page needs.
 */

import type { VNode } from "preact";
import { KATEX_CSS_URL } from "../_katex.ts";

/** Top-level navigation, in reading order. */
export const NAV: readonly { href: string; label: string }[] = [
  { href: "/", label: "Home" },
  { href: "/activations", label: "Activations" },
  { href: "/compare", label: "Compare" },
  { href: "/softmax", label: "Softmax" },
  { href: "/parallel", label: "Parallel" },
  { href: "/benchmarks", label: "Benchmarks" },
  { href: "/accuracy", label: "Accuracy" },
  { href: "/systems", label: "Systems" },
  { href: "/api/", label: "API reference" },
];

/** Props of {@linkcode App}. */
export interface AppProps {
  /** Page title, without the site name. */
  title: string;
  /** One-sentence description for search engines and link previews. */
  description: string;
  /** The URL path of the page, to mark the current navigation entry. */
  path: string;
  /** The page body, already rendered to HTML. */
  bodyHtml: string;
  /** Island bundles to load, as URLs. */
  scripts: readonly string[];
  /** Whether the page shows formulas, so the KaTeX stylesheet is needed. */
  math: boolean;
}

/** Renders the whole document around an already-rendered body. */
export function App(props: AppProps): VNode {
  const { title, description, path, bodyHtml, scripts, math } = props;
  // An entry is current on its own page and the pages under it (each activation's page sits
  // under Activations); Home only on itself.
  const current = (href: string) =>
    href === "/"
      ? path === "/"
      : path === href || path.startsWith(href.endsWith("/") ? href : `${href}/`);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title === "nonlin" ? title : `${title} · nonlin`}</title>
        <meta name="description" content={description} />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/styles.css" />
        {math && <link rel="stylesheet" href={KATEX_CSS_URL} />}
        {scripts.map((src) => <script type="module" src={src} key={src} />)}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site-header">
          <a class="brand" href="/">nonlin</a>
          <nav aria-label="Main">
            <ul>
              {NAV.map((item) => (
                <li key={item.href}>
                  <a href={item.href} aria-current={current(item.href) ? "page" : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabIndex={-1} dangerouslySetInnerHTML={{ __html: bodyHtml }} />
        <footer class="site-footer">
          <p>
            nonlin: activation functions for TypeScript, forward and backward. See the{" "}
            <a href="/api/">API reference</a>.
          </p>
        </footer>
      </body>
    </html>
  );
}
