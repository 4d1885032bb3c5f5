/**
 * The site's chart recipes, as Observable Plot specifications. Shared by server-rendered
 * components and islands, so a chart looks the same before and after hydration.
 *
 * Two Plot features are avoided on purpose: `clip: true` (it invents element ids that differ
 * between the server and the browser) and continuous colour legends (they need a canvas,
 * which the server's DOM lacks). Colour legends here are categorical swatches.
 */

import * as Plot from "@observablehq/plot";
import type { PlotFactory } from "./components/plot_figure.tsx";

/** One named curve. */
export interface Series {
  /** Legend label. */
  name: string;
  /** x values. */
  x: readonly number[];
  /** y values, `NaN` where undefined. */
  y: readonly number[];
  /** Draw dashed. @default {false} */
  dashed?: boolean;
}

/** Options of {@linkcode lineChart}. */
export interface LineChartOptions {
  /** Pixel width (Plot scales the SVG down responsively). @default {640} */
  width?: number;
  /** Pixel height. @default {320} */
  height?: number;
  /** Fixed y domain; values outside are clamped to the frame rather than clipped. */
  yDomain?: [number, number];
  /** Axis labels. */
  xLabel?: string;
  /** y axis label. */
  yLabel?: string;
  /** Show the legend. @default {true} */
  legend?: boolean;
  /** A compact chart without axes labels or legend, for galleries. @default {false} */
  compact?: boolean;
  /** Logarithmic y axis (values ≤ 0 are dropped). @default {false} */
  logY?: boolean;
}

type Point = { x: number; y: number; series: string };

/** Line chart of several series with a shared x axis. */
export function lineChart(series: readonly Series[], options: LineChartOptions = {}): PlotFactory {
  const [lo, hi] = options.yDomain ?? [-Infinity, Infinity];
  const points = (s: Series): Point[] =>
    s.x.map((x, i) => ({
      x,
      // Clamp instead of clip: a steep curve runs along the frame's edge, not past it.
      y: Number.isFinite(s.y[i]) ? Math.min(hi, Math.max(lo, s.y[i])) : NaN,
      series: s.name,
    })).filter((p) => !options.logY || p.y > 0);
  const solid = series.filter((s) => !s.dashed).flatMap(points);
  const dashed = series.filter((s) => s.dashed).flatMap(points);
  const compact = options.compact ?? false;
  const names = series.map((s) => s.name);
  return (document) =>
    Plot.plot({
      document,
      width: options.width ?? 640,
      height: options.height ?? 320,
      marginLeft: compact ? 28 : 48,
      marginBottom: compact ? 20 : 36,
      style: { fontSize: compact ? "9px" : "12px", background: "transparent", overflow: "visible" },
      x: { label: compact ? null : options.xLabel ?? "x", nice: true },
      y: {
        label: compact ? null : options.yLabel ?? null,
        domain: options.yDomain,
        type: options.logY ? "log" : "linear",
        grid: true,
        nice: options.yDomain === undefined,
      },
      color: {
        domain: names,
        range: PALETTE.slice(0, Math.max(1, names.length)),
        legend: !compact && (options.legend ?? true) && names.length > 1,
      },
      marks: [
        Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.3 }),
        Plot.ruleX([0], { stroke: "currentColor", strokeOpacity: 0.3 }),
        Plot.line(solid, { x: "x", y: "y", z: "series", stroke: "series", strokeWidth: 2 }),
        Plot.line(dashed, {
          x: "x",
          y: "y",
          z: "series",
          stroke: "series",
          strokeWidth: 2,
          strokeDasharray: "5,4",
        }),
      ],
    });
}

/** One bar. */
export interface Bar {
  /** Category label. */
  label: string;
  /** Height. */
  value: number;
  /** Optional group, for colour. */
  group?: string;
}

/** Options of {@linkcode barChart}. */
export interface BarChartOptions {
  /** Pixel width. @default {640} */
  width?: number;
  /** Pixel height (ignored for horizontal charts, which grow with the bars). @default {280} */
  height?: number;
  /** Fixed value domain. */
  domain?: [number, number];
  /** Value axis label. */
  valueLabel?: string;
  /** Horizontal bars, labels on the left. @default {false} */
  horizontal?: boolean;
  /** Print each value at the end of its bar. @default {false} */
  showValues?: boolean;
  /** Format of printed values. */
  format?: (value: number) => string;
}

/** Bar chart, vertical or horizontal, coloured by group when there are groups. */
export function barChart(bars: readonly Bar[], options: BarChartOptions = {}): PlotFactory {
  const data = bars.map((b) => ({ ...b, group: b.group ?? "" }));
  const groups = [...new Set(data.map((b) => b.group))];
  const format = options.format ?? ((v: number) => v.toPrecision(3));
  const labels = data.map((b) => b.label);
  return (document) => {
    if (options.horizontal) {
      return Plot.plot({
        document,
        width: options.width ?? 640,
        height: 30 + 24 * data.length,
        // Room for the longest label at 12px (about 7px a character), so none is clipped.
        marginLeft: Math.min(320, 16 + 7 * Math.max(...labels.map((l) => l.length), 8)),
        marginRight: 60,
        style: { fontSize: "12px", background: "transparent" },
        x: { label: options.valueLabel ?? null, domain: options.domain, grid: true },
        y: { label: null, domain: labels },
        color: {
          domain: groups,
          range: PALETTE.slice(0, groups.length),
          legend: groups.length > 1,
        },
        marks: [
          Plot.barX(data, { y: "label", x: "value", fill: "group" }),
          options.showValues
            ? Plot.text(data, {
              y: "label",
              x: "value",
              text: (d: { value: number }) => format(d.value),
              dx: 4,
              textAnchor: "start",
            })
            : null,
          Plot.ruleX([0]),
        ],
      });
    }
    return Plot.plot({
      document,
      width: options.width ?? 640,
      height: options.height ?? 280,
      style: { fontSize: "12px", background: "transparent" },
      x: { label: null, domain: labels, padding: 0.2 },
      y: { label: options.valueLabel ?? null, domain: options.domain, grid: true },
      color: { domain: groups, range: PALETTE.slice(0, groups.length), legend: groups.length > 1 },
      marks: [
        Plot.barY(data, { x: "label", y: "value", fill: "group" }),
        options.showValues
          ? Plot.text(data, {
            x: "label",
            y: "value",
            text: (d: { value: number }) => format(d.value),
            dy: -6,
          })
          : null,
        Plot.ruleY([0]),
      ],
    });
  };
}

/** Colour-blind-safe categorical colours (Okabe–Ito), in legend order. */
export const PALETTE: readonly string[] = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
  "#F0E442",
];
