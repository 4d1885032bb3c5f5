/**
 * A chart drawn by Observable Plot, on the server and in the browser alike.
 *
 * On the server Plot draws into a DOM-less document supplied by `_plot_server.ts` (linkedom),
 * and the SVG goes out as HTML. In the browser the same factory draws into the real document
 * after every render, replacing the server's copy. The container hands its children to Plot
 * through `dangerouslySetInnerHTML`, so Preact's hydration keeps the server SVG instead of
 * fighting over nodes it did not create.
 */

import type { VNode } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import { renderPlotOnServer } from "../_plot_dom.ts";

/** Draws a chart into `document`: usually `(document) => Plot.plot({ document, ... })`. */
export type PlotFactory = (document: Document) => Element;

/** Props of {@linkcode PlotFigure}. */
export interface PlotFigureProps {
  /** Draws the chart. */
  plot: PlotFactory;
  /** What the chart shows, for screen readers. */
  label: string;
  /** Extra CSS class of the container. */
  class?: string;
}

/** Renders a Plot chart (see the module doc). */
export function PlotFigure({ plot, label, class: className }: PlotFigureProps): VNode {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    ref.current?.replaceChildren(plot(document));
  });
  const html = typeof document === "undefined" ? renderPlotOnServer(plot) : "";
  return (
    <div
      ref={ref}
      class={className ? `plot ${className}` : "plot"}
      role="img"
      aria-label={label}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
