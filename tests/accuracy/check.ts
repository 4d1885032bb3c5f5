/**
 * The accuracy checks themselves: a block of float32 bit patterns, or a float64 sample, through
 * one side of one case on both kernel paths, each result measured in ULPs against the exact
 * value. Used by `verify.ts` (all 2^32 float32 inputs, in blocks, on every core) and by
 * `verify_test.ts` (a strided sample of every exponent, in CI).
 *
 * The exact value of a float32 input comes from two independent float64 implementations, the
 * reference path and a second one (`Case.independent`: the WebAssembly kernels or plain
 * formulas): where they agree to 2^-40 and every value within 4 float64 ULPs of both rounds to
 * the same float32, that float32 is the correctly rounded result and either double measures the
 * error to far below a float32 ULP. Everything else (disagreement, a value next to a rounding
 * boundary, a NaN or an infinity) is settled by the decimal reference of `oracle.ts`. The
 * piecewise-linear functions have exact double-double values instead.
 *
 * @module
 */

import { getKernels, setKernels, Tensor } from "@nonlin/core";
import type { Case, Side } from "./cases.ts";
import { type Exact, fromDouble, isPowerOfTwo, roundTo, ulpError, ulpOf } from "./oracle.ts";
import { random } from "../../core/_test_utils/random.ts";

/** What one path's results came to over some inputs. */
export interface Tally {
  /** Inputs checked. */
  checked: number;
  /** The worst error in ULPs, its input and the two values. */
  worst: number;
  worstX: number;
  worstGot: number;
  worstWant: number;
  /** Results that are not the correctly rounded value (±0 counted equal). */
  over05: number;
  /** Results more than 1 and more than 2 ULPs off. */
  over1: number;
  over2: number;
  /** NaN where the function has a value. */
  nan: number;
  /** A zero whose sign differs from the correctly rounded value's. */
  zeroSign: number;
}

/** Both paths over the same inputs. */
export interface BlockResult {
  reference: Tally;
  kernel: Tally;
  /** Inputs whose exact value needed decimal arithmetic. */
  decimal: number;
  /** Inputs where the two paths returned zeros of different signs. */
  pathZeroSign: number;
}

/** A tally of nothing yet. */
export function emptyTally(): Tally {
  return {
    checked: 0,
    worst: 0,
    worstX: NaN,
    worstGot: NaN,
    worstWant: NaN,
    over05: 0,
    over1: 0,
    over2: 0,
    nan: 0,
    zeroSign: 0,
  };
}

/** Adds `b` into `a`. */
export function mergeTally(a: Tally, b: Tally): Tally {
  if (b.worst > a.worst || (a.checked === 0 && b.checked > 0 && b.worst === a.worst)) {
    a.worst = b.worst;
    a.worstX = b.worstX;
    a.worstGot = b.worstGot;
    a.worstWant = b.worstWant;
  }
  a.checked += b.checked;
  a.over05 += b.over05;
  a.over1 += b.over1;
  a.over2 += b.over2;
  a.nan += b.nan;
  a.zeroSign += b.zeroSign;
  return a;
}

/** Adds block `b` into `a`. */
export function mergeBlock(a: BlockResult, b: BlockResult): BlockResult {
  mergeTally(a.reference, b.reference);
  mergeTally(a.kernel, b.kernel);
  a.decimal += b.decimal;
  a.pathZeroSign += b.pathZeroSign;
  return a;
}

/** An empty block result. */
export function emptyBlock(): BlockResult {
  return { reference: emptyTally(), kernel: emptyTally(), decimal: 0, pathZeroSign: 0 };
}

function withKernels<T>(mode: "auto" | "reference", f: () => T): T {
  const before = getKernels();
  setKernels(mode);
  try {
    return f();
  } finally {
    setKernels(before);
  }
}

type DType = "float32" | "float64";

/** Records result `r` against the correctly rounded `want`, `err` ULPs from the exact value. */
function record(tally: Tally, x: number, r: number, want: number, err: number): void {
  tally.checked++;
  if (r !== want) {
    // NaN never equals itself: a NaN result is right only where NaN is wanted.
    if (r !== r) {
      if (want === want) {
        tally.nan++;
        tally.over05++;
      }
    } else tally.over05++;
  } else if (r === 0 && 1 / r !== 1 / want) tally.zeroSign++;
  if (err > 1) {
    tally.over1++;
    if (err > 2) tally.over2++;
  }
  if (err > tally.worst) {
    tally.worst = err;
    tally.worstX = x;
    tally.worstGot = r;
    tally.worstWant = want;
  }
}

/** The correctly rounded float32 of an exact double-double h + l (h the nearest double). */
function roundDD32(h: number, l: number): number {
  const f = Math.fround(h);
  if (f === h || l === 0 || !Number.isFinite(f)) return f;
  const other = Math.fround(h + (h - f)); // the float32 on h's other side
  if (h !== (f + other) / 2) return f;
  // h is a tie between f and other: the sign of l says which side the exact value is on.
  return (l > 0) === (other > f) ? other : f;
}

/** Measures `r` against an exact double-double value. */
function errorDD(r: number, h: number, l: number, want: number, dtype: DType): number {
  if (!Number.isFinite(want) || r !== r) return r === want ? 0 : Infinity;
  if (!Number.isFinite(r)) return Infinity;
  // h a power of two with l of the other sign: the exact value lies in the binade below.
  const u = isPowerOfTwo(h) && l !== 0 && (l < 0) !== (h < 0)
    ? ulpOf(Math.abs(h) * (1 - 2 ** -53), dtype)
    : ulpOf(h, dtype);
  return Math.abs((r - h) - l) / u;
}

const TOLERANCE = 2 ** -40;
const TINY = 2 ** -60;

/**
 * The correctly rounded float32 of the exact value of a function whose float64 values from two
 * independent implementations are `a` (reference) and `b`, or NaN when the two cannot settle it:
 * they must agree to 2^-40, and every double within 4 float64 ULPs of both must round to the
 * same float32. Then `a` is within 2^-40 of the exact value, precise enough to measure errors.
 */
function settle32(a: number, b: number): number {
  if (a - a !== 0 || b - b !== 0) return NaN;
  if (a === 0 || b === 0) {
    // Both zero: the exact value is below 2^-1074, so its float32 is a zero of its sign.
    return a === 0 && b === 0 && 1 / a === 1 / b ? a : NaN;
  }
  const d = a - b;
  if (d > TOLERANCE * Math.abs(a) || -d > TOLERANCE * Math.abs(a)) return NaN;
  const lo = a < b ? a : b, hi = a < b ? b : a;
  const pad = 4 * ulpOf(hi, "float64");
  const want = Math.fround(lo - pad);
  if (Math.fround(hi + pad) !== want) return NaN;
  // A zero takes the sign of the value (the padding may reach past 0 below 2^-1070).
  return want === 0 ? (a < 0 ? -0 : 0) : want;
}

/** Bit patterns start, start + stride, … as float32 values (count of them). */
export function float32Block(start: number, count: number, stride = 1): Float32Array {
  const x = new Float32Array(count), bits = new Uint32Array(x.buffer);
  for (let i = 0; i < count; i++) bits[i] = (start + i * stride) >>> 0;
  return x;
}

/** The side's results on the reference path and, where it has a kernel, the kernel path. */
function bothPaths(
  side: Side,
  x: Float32Array | Float64Array,
  hasKernel: boolean,
): { ref: ArrayLike<number>; kern: ArrayLike<number> } {
  const ref = withKernels("reference", () => side.run(new Tensor(x)).data);
  const kern = hasKernel ? withKernels("auto", () => side.run(new Tensor(x)).data) : ref;
  return { ref, kern };
}

/**
 * Checks `side` of `c` on the float32 inputs `x` on both paths. The kernel path is run where
 * the case has a float32 kernel for this side; elsewhere it is the reference path by
 * construction, which is confirmed bit for bit on the first 4,096 inputs.
 */
export function checkFloat32(
  c: Case,
  direction: "forward" | "backward",
  x: Float32Array,
): BlockResult {
  const side: Side = c[direction];
  const hasKernel = direction === "forward" && c.kernels.float32;
  const { ref, kern } = bothPaths(side, x, hasKernel);
  const x64 = Float64Array.from(x);
  if (!hasKernel) {
    const head = x.subarray(0, Math.min(4096, x.length));
    const auto = withKernels("auto", () => side.run(new Tensor(head)).data);
    for (let i = 0; i < head.length; i++) {
      if (!Object.is(auto[i], ref[i])) {
        throw new Error(
          `${c.id} ${direction}: the default path differs from the reference at ${head[i]}`,
        );
      }
    }
  }
  const o1 = side.exactDD
    ? undefined
    : withKernels("reference", () => side.run(new Tensor(x64)).data);
  const o2 = side.exactDD ? undefined : side.independent?.(x64);
  const out = emptyBlock();
  const tiny = side.tiny;
  for (let i = 0; i < x.length; i++) {
    const v = x[i], r = ref[i], k = kern[i];
    let want: number, errRef: number, errKern: number;
    if (v - v !== 0) {
      // NaN or ±∞: the wanted value is NaN or the limit, exactly.
      want = v !== v ? v : Math.fround(side.atInfinity[v < 0 ? 0 : 1]);
      errRef = r === want || (r !== r && want !== want) ? 0 : Infinity;
      errKern = k === want || (k !== k && want !== want) ? 0 : Infinity;
    } else if (
      side.exactDD !== undefined || (tiny !== undefined && v !== 0 && v < TINY && v > -TINY)
    ) {
      const [h, l] = side.exactDD !== undefined ? side.exactDD(v) : tiny!(v);
      want = roundDD32(h, l);
      errRef = errorDD(r, h, l, want, "float32");
      errKern = k === r ? errRef : errorDD(k, h, l, want, "float32");
    } else {
      const a = o1![i], b = o2 === undefined ? NaN : o2[i];
      want = settle32(a, b);
      if (want === want) {
        // The spacing where the exact value may lie (within 4 float64 ULPs of a and b): the
        // smaller one when that straddles a power of two, so an error is never read smaller.
        const u = ulpOf(Math.min(Math.abs(a), Math.abs(b)) * (1 - 2 ** -49), "float32");
        errRef = errorOf(r, a, want, u);
        errKern = k === r ? errRef : errorOf(k, a, want, u);
      } else {
        out.decimal++;
        const t = exactAt(side, v);
        want = roundTo(t, "float32");
        errRef = ulpError(r, t, "float32");
        errKern = k === r ? errRef : ulpError(k, t, "float32");
      }
    }
    record(out.reference, v, r, want, errRef);
    record(out.kernel, v, k, want, errKern);
    if (r === 0 && k === 0 && 1 / r !== 1 / k) out.pathZeroSign++;
  }
  return out;
}

/**
 * The exact value at finite x, with the sign of a zero result at x = ±0 taken from x (f(-0) is
 * -0 for the odd-like functions with f(0) = 0), or +0 where `side.evenAtZero` says so.
 */
function exactAt(side: Side, v: number): Exact {
  const t = side.exact!(fromDouble(v));
  if (v === 0 && typeof t !== "number" && t.isZero()) {
    return side.evenAtZero || 1 / v > 0 ? 0 : -0;
  }
  return t;
}

/** The float32 error of `r` against a double `t` within 2^-40 of the exact value (`u`: its ULP). */
function errorOf(r: number, t: number, want: number, u: number): number {
  if (r === want && want - want !== 0) return 0; // the same infinity
  if (r - r !== 0 || want - want !== 0) return Infinity;
  return Math.abs(r - t) / u;
}

/**
 * Checks `side` of `c` on float64 inputs against the decimal (or double-double) reference, on
 * both paths (the kernel path run where the case has a float64 kernel for this side).
 */
export function checkFloat64(
  c: Case,
  direction: "forward" | "backward",
  x: Float64Array,
): BlockResult {
  const side: Side = c[direction];
  const { ref, kern } = bothPaths(side, x, direction === "forward" && c.kernels.float64);
  const out = emptyBlock();
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    let want: number, errRef: number, errKern: number;
    if (!Number.isFinite(v)) {
      want = v !== v ? v : side.atInfinity[v < 0 ? 0 : 1];
      errRef = ref[i] === want || (ref[i] !== ref[i] && want !== want) ? 0 : Infinity;
      errKern = kern[i] === want || (kern[i] !== kern[i] && want !== want) ? 0 : Infinity;
    } else if (side.exactDD) {
      const [h, l] = side.exactDD(v);
      want = h;
      errRef = errorDD(ref[i], h, l, want, "float64");
      errKern = errorDD(kern[i], h, l, want, "float64");
    } else {
      out.decimal++;
      const t = exactAt(side, v);
      want = roundTo(t, "float64");
      errRef = ulpError(ref[i], t, "float64");
      errKern = ulpError(kern[i], t, "float64");
    }
    record(out.reference, v, ref[i], want, errRef);
    record(out.kernel, v, kern[i], want, errKern);
    if (ref[i] === 0 && kern[i] === 0 && Object.is(ref[i], -0) !== Object.is(kern[i], -0)) {
      out.pathZeroSign++;
    }
  }
  return out;
}

export { random };

const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);

/**
 * The float64 sweep's inputs: `perBinade` random significands in every binade of both signs
 * (subnormals as one binade per exponent of their leading bit), every cut-off constant and the
 * 8 doubles on either side of it, and the special values.
 */
export function float64Inputs(c: Case, perBinade: number, seed = 1, binadeStep = 1): Float64Array {
  const rand = random(seed);
  const xs: number[] = [0, -0, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MIN_VALUE];
  for (let e = -1074; e <= 1023; e += binadeStep) {
    for (let j = 0; j < perBinade; j++) {
      for (const sign of [1, -1]) {
        const m = e < -1022 ? 1 + rand() : 1 + Math.floor(rand() * 2 ** 52) / 2 ** 52;
        // 2^e·m, with e below -1022 reached in two exact steps (the second rounds once).
        const v = e < -1022 ? m * 2 ** -1022 * 2 ** (e + 1022) : m * 2 ** e;
        if (Number.isFinite(v) && v !== 0) xs.push(sign * v);
      }
    }
  }
  for (const k of c.cutoffs) {
    f64[0] = k;
    const bits = u64[0];
    for (let d = -8n; d <= 8n; d++) {
      u64[0] = bits + d;
      const v = f64[0];
      if (Number.isFinite(v)) xs.push(v);
    }
  }
  return Float64Array.from(xs);
}
