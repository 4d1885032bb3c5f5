/**
 * The hook through which the server lends Plot a document, and the finishing touch every chart
 * gets wherever it is drawn.
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
 * Removes the ARIA that Plot puts on its marks (`<g aria-label="line">`, tick labels with
 * `aria-description`). A chart sits in a `role="img"` container named for what it shows, whose
 * children are presentational, so these names are never read, and on elements without a role
 * they are prohibited ARIA besides.
 */
export function quietPlot<E extends Element>(chart: E): E {
  for (const element of [chart, ...chart.querySelectorAll("[aria-label], [aria-description]")]) {
    element.removeAttribute("aria-label");
    element.removeAttribute("aria-description");
  }
  return chart;
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
  const element = quietPlot(plot(factory()));
  const svgs = element.localName === "svg" ? [element] : [...element.querySelectorAll("svg")];
  for (const svg of svgs) svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return element.outerHTML;
}
