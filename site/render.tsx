/**
 * Turns a page into a complete HTML document: the body is rendered first so that the islands
 * it uses are known, then the shell is rendered around it with exactly their scripts.
 */

import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { IslandCollector, IslandContext } from "./components/island.tsx";
import { App } from "./routes/_app.tsx";
import "./_plot_server.ts";

/** What a route produces: the page's metadata and its body. */
export interface Page {
  /** Page title, without the site name. */
  title: string;
  /** One-sentence description. */
  description: string;
  /** The body, placed inside `<main>`. */
  body: VNode;
  /** HTTP status. @default {200} */
  status?: number;
}

/** URL of the browser bundle of an island. */
export function islandScriptUrl(name: string): string {
  return `/build/islands/${name}.js`;
}

/** Renders `page`, found at URL path `path`, to a full HTML document. */
export function renderPage(page: Page, path: string): string {
  const collector = new IslandCollector();
  const bodyHtml = renderToString(
    <IslandContext.Provider value={collector}>{page.body}</IslandContext.Provider>,
  );
  const shell = renderToString(
    <App
      title={page.title}
      description={page.description}
      path={path}
      bodyHtml={bodyHtml}
      scripts={collector.names.map(islandScriptUrl)}
      math={bodyHtml.includes('class="katex')}
    />,
  );
  return `<!DOCTYPE html>${shell}`;
}
