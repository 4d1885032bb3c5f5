/**
 * A chart drawn by Observable Plot, on the server and in the browser alike, at the width it is
 * shown at.
 *
 * On the server Plot draws into a DOM-less document supplied by `_plot_server.ts` (linkedom),
 * twice: at a desktop width and at a phone's, and the stylesheet shows the one that fits, so a
 * page without JavaScript still has text of a readable size on a phone. In the browser the
 * factory draws into the real document at the container's measured width after every render
 * and whenever that width changes, replacing the server's copies. The container hands its
 * children to Plot through `dangerouslySetInnerHTML`, so Preact's hydration keeps the server
 * SVG instead of fighting over nodes it did not create.
 */

import type { VNode } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { quietPlot, renderPlotOnServer } from "../_plot_dom.ts";

/**
 * Draws a chart into `document`: usually `(document, width) => Plot.plot({ document, width, ... })`.
 * `width` is the pixel width to draw at, when the caller knows it.
 */
export type PlotFactory = (document: Document, width?: number) => Element;

/** The widths the server draws at: a desktop column and a phone's screen less its margins. */
export const SERVER_WIDTHS = { wide: 640, narrow: 358 } as const;

/** Props of {@linkcode PlotFigure}. */
export interface PlotFigureProps {
  /** Draws the chart. */
  plot: PlotFactory;
  /** What the chart shows, for screen readers. */
  label: string;
  /** Extra CSS class of the container. */
  class?: string;
  /** The widths the server draws at (gallery thumbnails are smaller). @default {SERVER_WIDTHS} */
  widths?: { wide: number; narrow: number };
  /** Called with each chart drawn in the browser (to read its scales, for a read-out). */
  onDraw?: (chart: Element) => void;
}

/** Renders a Plot chart (see the module doc). */
export function PlotFigure(props: PlotFigureProps): VNode {
  const { plot, label, class: className, widths = SERVER_WIDTHS } = props;
  const ref = useRef<HTMLDivElement>(null);
  const drawnWidth = useRef(0);
  const [, setResized] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const width = Math.floor(element.clientWidth);
    const chart = quietPlot(plot(document, width > 0 ? width : undefined));
    element.replaceChildren(chart);
    drawnWidth.current = width;
    props.onDraw?.(chart);
  });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (Math.abs(Math.floor(element.clientWidth) - drawnWidth.current) >= 1) {
        setResized((n) => n + 1);
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const html = typeof document === "undefined"
    ? `<div class="plot-wide">${renderPlotOnServer((d) => plot(d, widths.wide))}</div>` +
      `<div class="plot-narrow">${renderPlotOnServer((d) => plot(d, widths.narrow))}</div>`
    : "";
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
