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
  /**
   * The legend entry, and so the colour, it belongs to: f and f′ of one activation share one.
   * @default {name}
   */
  key?: string;
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
  /** Format of the y axis's tick labels. */
  yTickFormat?: (value: number) => string;
  /** Mark the samples at this index of every series: a vertical rule and a dot on each. */
  marker?: number;
  /** Room left of the frame for the y tick labels, in pixels. @default {56} */
  marginLeft?: number;
}

type Point = { x: number; y: number; series: string; key: string };

/**
 * Tick labels of a logarithmic axis: powers of ten as `1e-30`. Plot's default SI prefixes stop
 * at yocto, so below 1e-24 they read as nonsense like "10z".
 */
export function logTick(value: number): string {
  if (!(value > 0) || !Number.isFinite(value)) return String(value);
  const exponent = Math.round(Math.log10(value));
  if (Math.abs(value / 10 ** exponent - 1) > 1e-9) return "";
  return exponent >= -3 && exponent <= 3 ? String(value) : `1e${exponent}`;
}

/** Font size of chart text: readable on a phone, smaller only in gallery thumbnails. */
const FONT_SIZE = "13px";

/** Line chart of several series with a shared x axis. */
export function lineChart(series: readonly Series[], options: LineChartOptions = {}): PlotFactory {
  const [lo, hi] = options.yDomain ?? [-Infinity, Infinity];
  const clamp = (y: number) => Number.isFinite(y) ? Math.min(hi, Math.max(lo, y)) : NaN;
  const points = (s: Series): Point[] =>
    s.x.map((x, i) => ({
      x,
      // Clamp instead of clip: a steep curve runs along the frame's edge, not past it.
      y: clamp(s.y[i]),
      series: s.name,
      key: s.key ?? s.name,
    })).filter((p) => !options.logY || p.y > 0);
  const solid = series.filter((s) => !s.dashed).flatMap(points);
  const dashed = series.filter((s) => s.dashed).flatMap(points);
  const compact = options.compact ?? false;
  const keys = [...new Set(series.map((s) => s.key ?? s.name))];
  const marker = options.marker;
  const marked = marker === undefined ? [] : series.flatMap((s) => {
    const y = clamp(s.y[marker]);
    return s.x[marker] === undefined || Number.isNaN(y) || (options.logY && !(y > 0))
      ? []
      : [{ x: s.x[marker], y, key: s.key ?? s.name }];
  });
  return (document, width) =>
    Plot.plot({
      document,
      width: width ?? options.width ?? 640,
      height: options.height ?? 320,
      marginLeft: compact ? 30 : options.marginLeft ?? 56,
      marginRight: compact ? 10 : 28,
      marginBottom: compact ? 22 : 40,
      style: {
        fontSize: compact ? "11px" : FONT_SIZE,
        background: "transparent",
        overflow: "visible",
      },
      x: { label: compact ? null : options.xLabel ?? "x", nice: true },
      y: {
        label: compact ? null : options.yLabel ?? null,
        domain: options.yDomain,
        type: options.logY ? "log" : "linear",
        grid: true,
        nice: options.yDomain === undefined,
        tickFormat: options.yTickFormat ?? (options.logY ? logTick : undefined),
      },
      color: {
        domain: keys,
        range: paletteFor(keys.length),
        legend: !compact && (options.legend ?? true) && keys.length > 1,
      },
      marks: [
        Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.3 }),
        Plot.ruleX([0], { stroke: "currentColor", strokeOpacity: 0.3 }),
        Plot.line(solid, { x: "x", y: "y", z: "series", stroke: "key", strokeWidth: 2 }),
        Plot.line(dashed, {
          x: "x",
          y: "y",
          z: "series",
          stroke: "key",
          strokeWidth: 2,
          strokeDasharray: "5,4",
        }),
        marker === undefined || marked.length === 0
          ? null
          : Plot.ruleX([marked[0].x], { stroke: "currentColor", strokeOpacity: 0.6 }),
        marked.length === 0
          ? null
          : Plot.dot(marked, { x: "x", y: "y", fill: "key", r: 4, stroke: "var(--bg, white)" }),
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
  return (document, drawWidth) => {
    const width = drawWidth ?? options.width ?? 640;
    if (options.horizontal) {
      // Room for the longest label (about 7.5px a character at 13px), so none is clipped, but
      // never more than 40% of the width, or a phone has no room left for the bars.
      const longest = Math.max(...labels.map((l) => l.length), 8);
      return Plot.plot({
        document,
        width,
        height: 34 + 26 * data.length,
        marginLeft: Math.min(Math.round(width * 0.4), 16 + 7.5 * longest),
        marginRight: 60,
        style: { fontSize: FONT_SIZE, background: "transparent" },
        x: { label: options.valueLabel ?? null, domain: options.domain, grid: true },
        y: {
          label: null,
          domain: labels,
          tickFormat: (l: string) => shorten(l, Math.floor((width * 0.4 - 16) / 7.5)),
        },
        color: {
          domain: groups,
          range: paletteFor(groups.length),
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
    // Crowded bars keep every bar but label only every step-th one, and print values only
    // where they fit: 60 logits on a phone would otherwise be one smear of text.
    const slot = (width - 60) / Math.max(1, data.length);
    const longest = Math.max(...labels.map((l) => l.length), 1);
    const rotate = slot < longest * 7.5;
    const step = rotate ? Math.max(1, Math.ceil(16 / slot)) : 1;
    const shownLabels = new Set(labels.filter((_, i) => i % step === 0));
    const valuesFit = slot >= 34;
    return Plot.plot({
      document,
      width,
      height: (options.height ?? 280) + (rotate ? 40 : 0),
      marginBottom: rotate ? 80 : 40,
      style: { fontSize: FONT_SIZE, background: "transparent" },
      x: {
        label: null,
        domain: labels,
        padding: 0.2,
        tickRotate: rotate ? -45 : 0,
        tickFormat: (l: string) => (shownLabels.has(l) ? shorten(l, 14) : ""),
      },
      y: { label: options.valueLabel ?? null, domain: options.domain, grid: true },
      color: { domain: groups, range: paletteFor(groups.length), legend: groups.length > 1 },
      marks: [
        Plot.barY(data, { x: "label", y: "value", fill: "group" }),
        options.showValues && valuesFit
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

/** `text` cut to `max` characters with an ellipsis. */
function shorten(text: string, max: number): string {
  return text.length <= Math.max(4, max) ? text : `${text.slice(0, Math.max(3, max - 1))}…`;
}

/**
 * Categorical colours, in legend order: fourteen that stay apart from each other and readable
 * on both the light and the dark background (no black, no pale yellow), so that a dozen
 * activations on one chart each get their own.
 */
export const PALETTE: readonly string[] = [
  "#1f77b4", // blue
  "#d62728", // red
  "#2ca02c", // green
  "#ff7f0e", // orange
  "#9467bd", // purple
  "#8c564b", // brown
  "#e377c2", // pink
  "#17becf", // cyan
  "#bcbd22", // olive
  "#7f7f7f", // grey
  "#f0027f", // magenta
  "#1b9e77", // teal
  "#a6761d", // ochre
  "#6a51a3", // indigo
];

/** `count` colours from {@linkcode PALETTE}, repeating it only beyond its length. */
export function paletteFor(count: number): string[] {
  return Array.from({ length: Math.max(1, count) }, (_, i) => PALETTE[i % PALETTE.length]);
}

/** One dot of a {@linkcode dotChart}. */
export interface Dot {
  /** Row (category on the y axis). */
  row: string;
  /** Series, for colour and legend. */
  series: string;
  /** Position on the x axis. */
  value: number;
}

/** Options of {@linkcode dotChart}. */
export interface DotChartOptions {
  /** x axis label. */
  valueLabel?: string;
  /** Logarithmic x axis. @default {false} */
  logX?: boolean;
  /** A labelled vertical reference line. */
  rule?: { value: number; label: string };
  /** The series to put first in the legend and the palette (ours, beside the peers). */
  first?: string;
}

/**
 * Rows of dots, one colour per series, on a shared x axis: several implementations of several
 * operations in one chart.
 */
export function dotChart(dots: readonly Dot[], options: DotChartOptions = {}): PlotFactory {
  const rows = [...new Set(dots.map((d) => d.row))];
  const series = [...new Set(dots.map((d) => d.series))];
  if (options.first !== undefined && series.includes(options.first)) {
    series.splice(series.indexOf(options.first), 1);
    series.unshift(options.first);
  }
  const longest = Math.max(...rows.map((r) => r.length), 6);
  return (document, drawWidth) => {
    const width = drawWidth ?? 640;
    return Plot.plot({
      document,
      width,
      height: 60 + 26 * rows.length,
      marginLeft: Math.min(Math.round(width * 0.3), 16 + 7.5 * longest),
      marginRight: 20,
      style: { fontSize: FONT_SIZE, background: "transparent" },
      x: {
        label: options.valueLabel ?? null,
        type: options.logX ? "log" : "linear",
        grid: true,
        tickFormat: options.logX ? logTick : undefined,
      },
      y: { label: null, domain: rows },
      // One legend of coloured symbols: Plot merges the two scales when they share a domain.
      color: { domain: series, range: paletteFor(series.length) },
      symbol: { domain: series, legend: true },
      marks: [
        options.rule
          ? Plot.ruleX([options.rule.value], { stroke: "currentColor", strokeDasharray: "4,3" })
          : null,
        options.rule
          ? Plot.text([options.rule.value], {
            x: (v: number) => v,
            frameAnchor: "top",
            dy: -8,
            text: () => options.rule!.label,
          })
          : null,
        Plot.dot(dots, { x: "value", y: "row", fill: "series", symbol: "series", r: 5 }),
      ],
    });
  };
}
