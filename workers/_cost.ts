/**
 * When a run is worth sending to the workers: the registry says how many transcendental calls
 * and arithmetic operations an element costs, a one-off calibration on this machine says how
 * long each takes, and the pool measures its round trip. Private to the package.
 */

import { getActivation, Tensor } from "@nonlin/core";

/** Nanoseconds per transcendental call and per arithmetic operation on this thread. */
export interface Calibration {
  readonly transcendentalNs: number;
  readonly arithmeticNs: number;
}

let calibration: Calibration | undefined;

/** Timed rounds of the calibration: enough for the kernels to reach their optimised code. */
const ROUNDS = 80;

/**
 * Times the sigmoid (registry cost: 1 transcendental, 3 arithmetic) and a multiply-add over a
 * small float32 array, best of many rounds (the first ones warm the JIT up). Timing a real
 * activation, not `Math.exp`, prices whatever path core runs on this thread: its WebAssembly
 * kernels are several times cheaper per element than a TypeScript loop. A few milliseconds,
 * once per thread; the pool then prices each op by its own runs.
 */
export function calibrate(): Calibration {
  if (calibration) return calibration;
  const n = 1 << 14;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (i % 97) / 12 - 4;
  const x = new Tensor(a), out = new Tensor(new Float32Array(n));
  const sigmoid = getActivation("sigmoid");
  const b = new Float32Array(n);
  let op = Infinity, arith = Infinity;
  // V8 first runs WebAssembly through its baseline compiler and tiers up after some tens of
  // calls: on the machine this was written on, round 40 of this loop was the first at full
  // speed (3-6 ns per element before, 1.3 after). Five rounds priced the baseline code.
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    sigmoid.forward(x, { out });
    op = Math.min(op, performance.now() - t);
    t = performance.now();
    for (let i = 0; i < n; i++) b[i] = a[i] * 1.5 + 0.25;
    arith = Math.min(arith, performance.now() - t);
  }
  // The multiply-add loop is two operations plus the load and store every element pays anyway.
  const arithmeticNs = Math.max((arith * 1e6) / n / 2, 0.05);
  const transcendentalNs = Math.max((op * 1e6) / n - 3 * arithmeticNs, arithmeticNs);
  return (calibration = { transcendentalNs, arithmeticNs });
}

/** Estimated nanoseconds for one element of an op of the given registry cost. */
export function elementNs(
  cost: { readonly transcendental: number; readonly arithmetic: number },
  c: Calibration,
): number {
  return cost.transcendental * c.transcendentalNs + Math.max(cost.arithmetic, 1) * c.arithmeticNs;
}

/**
 * How many shards to cut a run into: none (run it on the calling thread) when the whole work is
 * shorter than two round trips (below that, waiting for a worker costs more than the work it
 * takes over), else one per round trip's worth of work, at most `workers` and at most `units`
 * (the number of pieces the tensor can be cut into).
 */
export function shardCount(
  workNs: number,
  roundTripNs: number,
  workers: number,
  units: number,
): number {
  if (units === 0 || workNs < 2 * roundTripNs) return 0;
  const worth = roundTripNs > 0 ? Math.floor(workNs / roundTripNs) : Infinity;
  return Math.max(1, Math.min(workers, units, worth));
}
