/**
 * The hook through which the server lends Plot a document.
 *
 * Browser bundles import this file but never `linkedom`: the server registers its document
 * factory here at start-up (see `_plot_server.ts`), keeping linkedom out of every island.
 */

/** Creates a fresh document for one chart. */
export type DocumentFactory = () => Document;

let factory: DocumentFactory | undefined;

/** Registers the document factory used by {@linkcode renderPlotOnServer}. */
export function setServerDocumentFactory(create: DocumentFactory): void {
  factory = create;
}

/**
 * Draws a chart with the registered document and returns its markup.
 *
 * Every `<svg>` gets its `xmlns`, so the markup also stands alone as an SVG file.
 */
export function renderPlotOnServer(plot: (document: Document) => Element): string {
  if (factory === undefined) {
    throw new Error("Cannot render a chart on the server: no document factory registered");
  }
  const element = plot(factory());
  const svgs = element.localName === "svg" ? [element] : [...element.querySelectorAll("svg")];
  for (const svg of svgs) svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return element.outerHTML;
}
