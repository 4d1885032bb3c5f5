/**
 * Where a plot's read-out points: the sample under the mouse or finger, or the one the arrow
 * keys step to. Used by the explorers' charts.
 */

/** Plot's scale object, as `chart.scale("x")` returns it in the browser. */
interface ScaleLike {
  invert?(pixel: number): number;
}

/**
 * The index of the sample in `xs` (evenly spaced, ascending) nearest the pointer, or
 * `undefined` when the pointer is outside the plot's frame. `chart` is the element Plot
 * returned: an `<svg>`, or a `<figure>` holding the legend and the `<svg>`.
 */
export function pointerIndex(
  chart: Element,
  pointer: { clientX: number },
  xs: readonly number[],
): number | undefined {
  const svg = chart.localName === "svg" ? chart : chart.querySelector("svg:last-of-type");
  const scale = (chart as Element & { scale?(name: string): ScaleLike | undefined }).scale?.("x");
  if (!svg || !scale?.invert || xs.length < 2) return undefined;
  const box = svg.getBoundingClientRect();
  const drawn = Number(svg.getAttribute("width")) || box.width;
  if (box.width <= 0) return undefined;
  // The SVG may be scaled down by CSS: convert screen pixels to the drawing's own.
  const x = scale.invert((pointer.clientX - box.left) * (drawn / box.width));
  return nearestIndex(x, xs);
}

/** The index of the sample of `xs` (evenly spaced, ascending) nearest `x`, or undefined outside. */
export function nearestIndex(x: number, xs: readonly number[]): number | undefined {
  const first = xs[0], last = xs[xs.length - 1];
  if (!(x >= first && x <= last)) return undefined;
  return Math.round(((x - first) / (last - first)) * (xs.length - 1));
}

/**
 * The sample index a key moves the read-out to: arrows by one (by a tenth of the range with
 * Shift), Page Up and Down by a tenth, Home and End to the ends. Starts from the middle.
 * `undefined` for a key that does not move it.
 *
 * @example Usage
 * ```ts
 * import { stepIndex } from "./_readout.ts";
 * import assert from "node:assert/strict";
 * assert.equal(stepIndex("ArrowRight", false, undefined, 241), 120);
 * assert.equal(stepIndex("ArrowRight", false, 120, 241), 121);
 * assert.equal(stepIndex("End", false, 3, 241), 240);
 * assert.equal(stepIndex("a", false, 3, 241), undefined);
 * ```
 */
export function stepIndex(
  key: string,
  shift: boolean,
  current: number | undefined,
  count: number,
): number | undefined {
  if (count < 1) return undefined;
  const middle = Math.floor((count - 1) / 2);
  const big = Math.max(1, Math.round(count / 10));
  const from = current ?? middle;
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
  switch (key) {
    case "ArrowRight":
    case "ArrowUp":
      return current === undefined ? middle : clamp(from + (shift ? big : 1));
    case "ArrowLeft":
    case "ArrowDown":
      return current === undefined ? middle : clamp(from - (shift ? big : 1));
    case "PageUp":
      return clamp(from + big);
    case "PageDown":
      return clamp(from - big);
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return undefined;
  }
}
