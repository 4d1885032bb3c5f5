/**
 * The numerical-stability story of one activation, computed when the page is rendered: the
 * textbook formula (`naive`, in float64) beside the library in float32 and float64, at the
 * tails, at ±1000, at infinities and at NaN.
 */

import type { VNode } from "preact";
import type { ActivationInfo } from "@nonlin/core";
import { formatNumber } from "../_format.ts";
import { defaultOptions, evaluateAt } from "../_sample.ts";

/** The inputs of the story, extremes first. */
export const STABILITY_INPUTS: readonly number[] = [
  -1000,
  -100,
  -30,
  -10,
  -1,
  -1e-7,
  0,
  1e-7,
  1,
  10,
  30,
  100,
  1000,
  -Infinity,
  Infinity,
  NaN,
];

/** One row of the story. */
export interface StabilityRow {
  /** The input. */
  x: number;
  /** The textbook formula in float64, when the registry has one. */
  naive?: number;
  /** The library in float32. */
  f32: number;
  /** The library in float64. */
  f64: number;
  /** The library's derivative in float32. */
  df32: number;
}

/** Computes the story's rows with the default options. */
export function stabilityRows(info: ActivationInfo): StabilityRow[] {
  const options = defaultOptions(info);
  const f32 = evaluateAt(info, STABILITY_INPUTS, options, "float32");
  const f64 = evaluateAt(info, STABILITY_INPUTS, options, "float64");
  return STABILITY_INPUTS.map((x, i) => ({
    x,
    naive: info.naive ? info.naive(x, options) : undefined,
    f32: f32.f[i],
    f64: f64.f[i],
    df32: f32.df[i],
  }));
}

/** Whether the textbook value is broken where the library's is not. */
function naiveFails(row: StabilityRow): boolean {
  if (row.naive === undefined) return false;
  if (Number.isNaN(row.x)) return !Number.isNaN(row.naive);
  if (Number.isNaN(row.naive) !== Number.isNaN(row.f64)) return true;
  if (!Number.isFinite(row.f64)) return row.naive !== row.f64;
  const scale = Math.max(Math.abs(row.f64), 1e-300);
  return Math.abs(row.naive - row.f64) / scale > 1e-6;
}

/** Props of {@linkcode StabilityTable}. */
export interface StabilityTableProps {
  /** The activation. */
  info: ActivationInfo;
}

/** Renders the story as a table with the failures of the textbook formula marked. */
export function StabilityTable({ info }: StabilityTableProps): VNode {
  let rows: StabilityRow[];
  try {
    rows = stabilityRows(info);
  } catch (error) {
    // Shown, not thrown: the rest of the page is still worth reading.
    return <p class="error">Cannot compute the story: {(error as Error).message}</p>;
  }
  const failures = rows.filter(naiveFails).length;
  return (
    <>
      <p>
        {info.naive
          ? failures === 0
            ? "Here the textbook formula holds up in float64 at every input below."
            : `The textbook formula, even in float64, goes wrong at ${failures} of these ${rows.length} inputs (marked); the library does not.`
          : "The registry gives no textbook formula for this activation, so only the library's values are shown."}
        {info.kind === "reduction" &&
          " As a reduction, it is evaluated on the vector [x, 0] and its first output shown."}
      </p>
      <div
        class="table-scroll"
        tabIndex={0}
        role="region"
        aria-label="Table of values at the extremes"
      >
        <table class="numbers stability">
          <thead>
            <tr>
              <th scope="col">x</th>
              {info.naive && <th scope="col">textbook (float64)</th>}
              <th scope="col">nonlin float32</th>
              <th scope="col">nonlin float64</th>
              <th scope="col">f′ float32</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                <th scope="row">{formatNumber(row.x)}</th>
                {info.naive && (
                  <td class={naiveFails(row) ? "bad" : ""}>
                    {formatNumber(row.naive ?? NaN)}
                    {naiveFails(row) && <span class="visually-hidden">(wrong)</span>}
                  </td>
                )}
                <td>{formatNumber(row.f32)}</td>
                <td>{formatNumber(row.f64, 10)}</td>
                <td>{formatNumber(row.df32)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
