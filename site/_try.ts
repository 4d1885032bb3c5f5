/**
 * What the try-it box computes for a typed list: the list laid out as the activation's shape
 * behaviour asks (one vector, a 1×1 image's channels, two halves, rows of channels), the
 * library's outputs, and the table to show them in. Runs in the browser and in tests.
 */

import { type ActivationInfo, type DType, tensor } from "@nonlin/core";
import { channelCount } from "./_sample.ts";

/** The list the box opens with: extremes and NaN for element-wise entries. */
export const ELEMENTWISE_INPUT = "-1000, -2, -0.5, 0, 0.5, 2, 1000, nan";

/**
 * The list a reduction opens with: no NaN (one NaN makes a whole softmax NaN, which says
 * nothing about the function) and an even count (GLU halves it).
 */
export const REDUCTION_INPUT = "-2, -1, 0, 0.5, 1, 2";

/** The list the box opens with for `info`. */
export function initialInput(info: ActivationInfo): string {
  return info.kind === "elementwise" ? ELEMENTWISE_INPUT : REDUCTION_INPUT;
}

/** A table of numbers with its headings, and what a reader needs to know to read it. */
export interface TryTable {
  /** Column headings. */
  headers: string[];
  /** One array per row, one number per column. */
  rows: number[][];
  /** Sentences about how the list was read. */
  notes: string[];
}

/** The value `x` is stored as in `dtype`. */
function stored(x: number, dtype: DType): number {
  return dtype === "float32" ? Math.fround(x) : x;
}

/** A note naming the typed values the dtype cannot hold as typed (1e308 is ∞ in float32). */
function roundingNote(xs: readonly number[], dtype: DType): string[] {
  const changed = xs.filter((x) => !Number.isNaN(x) && stored(x, dtype) !== x);
  if (changed.length === 0) return [];
  const shown = changed.slice(0, 3).map((x) => `${x} → ${formatStored(stored(x, dtype))}`);
  return [
    `In ${dtype}, ${changed.length === 1 ? "one input is" : `${changed.length} inputs are`} ` +
    `stored rounded, and computed as stored: ${shown.join(", ")}${
      changed.length > 3 ? ", …" : ""
    }.`,
  ];
}

function formatStored(v: number): string {
  return v === Infinity ? "∞" : v === -Infinity ? "-∞" : String(v);
}

/**
 * Evaluates the typed numbers `xs` through `info` and lays out the result. Throws the library's
 * own errors (worded for the caller), and a `RangeError` when the list cannot have the layout
 * the activation needs (an odd count for GLU, a count that is not a multiple of the channels).
 */
export function tryActivation(
  info: ActivationInfo,
  xs: readonly number[],
  options: Record<string, unknown>,
  dtype: DType,
): TryTable {
  const { shape } = info;
  const notes = roundingNote(xs, dtype);
  const data = xs as number[];
  const x = (s: number[]) => tensor(data, { dtype, shape: s });
  const n = xs.length;
  if (info.kind === "elementwise") {
    const channels = shape.positionDependent?.(options) ? channelCount(info, options) : 1;
    if (channels > 1) {
      if (n % channels !== 0) {
        throw new RangeError(
          `Cannot read ${n} numbers as rows of ${channels} channels: with these options ` +
            `${info.name} has one parameter per channel, so type a multiple of ${channels} numbers`,
        );
      }
      const input = x([n / channels, channels]);
      const y = info.forward(input, options).data;
      const dy = info.backward(
        tensor(data.map(() => 1), { dtype, shape: input.shape }),
        input,
        options,
      )
        .data;
      notes.push(
        `With these options ${info.name} has one parameter per channel (dim 1), so the list is ` +
          `read as ${n / channels} rows of ${channels} channels, shape [${
            input.shape.join(", ")
          }].`,
      );
      return {
        headers: ["x", "channel", `${info.name}(x)`, `${info.name}′(x)`],
        rows: xs.map((_, i) => [input.data[i], i % channels, y[i], dy[i]]),
        notes,
      };
    }
    const input = x([n]);
    const y = info.forward(input, options).data;
    const dy = info.backward(tensor(data.map(() => 1), { dtype }), input, options).data;
    return {
      headers: ["x", `${info.name}(x)`, `${info.name}′(x)`],
      rows: xs.map((_, i) => [input.data[i], y[i], dy[i]]),
      notes,
    };
  }
  if (shape.alongDim === "half") {
    if (n % 2 !== 0) {
      throw new RangeError(
        `Cannot split ${n} numbers into two halves: ${info.name} pairs the first half with ` +
          `the second, so type an even count of numbers`,
      );
    }
    const input = x([n]);
    const y = info.forward(input, options).data;
    const half = n / 2;
    notes.push(
      `${info.name} halves the list: output i combines input i (a) with input i + ${half} (b), ` +
        `so ${n} inputs give ${half} outputs.`,
    );
    return {
      headers: ["a (first half)", "b (second half)", `${info.name}(a, b)`],
      rows: Array.from({ length: half }, (_, i) => [input.data[i], input.data[i + half], y[i]]),
      notes,
    };
  }
  // A fixed dim from the end (Softmax2d's channels, -3): the list is that dim, every later dim
  // of size 1, so each number is one channel of a 1×1 image.
  const layout = typeof shape.slices === "number"
    ? [n, ...Array<number>(-shape.slices - 1).fill(1)]
    : [n];
  const input = x(layout);
  const y = info.forward(input, options).data;
  notes.push(
    layout.length > 1
      ? `${info.name} reads the list as the ${n} channels of a 1×1 image, shape [${
        layout.join(", ")
      }].`
      : `${info.name} reads the list as one vector: each output depends on every input.`,
  );
  return {
    headers: ["x", `${info.name}(x)`],
    rows: xs.map((_, i) => [input.data[i], y[i]]),
    notes,
  };
}
