/**
 * How the verification is cut into units of work, shared by the command (`verify.ts`), its
 * workers and the CI test: each case and direction is one item; an item is 1,024 blocks of
 * float32 bit patterns and a float64 sweep cut into 16 parts.
 *
 * @module
 */

import { getKernels, setKernels, Tensor } from "@nonlin/core";
import type { Case } from "./cases.ts";
import { checkFloat32, checkFloat64, float32Block, float64Inputs } from "./check.ts";
import type { BlockResult } from "./check.ts";

/** Blocks per item: 2^32 patterns in 1,024 blocks of 2^22. */
export const BLOCKS = 1024;
/** Patterns per block in a full run. */
export const BLOCK_SIZE = 2 ** 22;
/**
 * In a quick run a block takes every 4,096th pattern of its range (1,024 per block, 2^20 per
 * item), which still visits every exponent of both signs: each spans 2^23 patterns.
 */
export const QUICK_STRIDE = 4096;
/**
 * Parts of an item's float64 sweep. Its decimal evaluations take a minute or more in all; in
 * parts, a stopping run waits seconds for the units in flight, not the whole sweep.
 */
export const FLOAT64_PARTS = 16;

/** The two directions. */
export type Direction = "forward" | "backward";

/** One item: a case in one direction. */
export interface Item {
  key: string;
  caseId: string;
  direction: Direction;
}

/** A unit of work sent to a worker. */
export type Unit =
  | {
    key: string;
    caseId: string;
    direction: Direction;
    kind: "float32";
    block: number;
    quick: boolean;
  }
  | {
    key: string;
    caseId: string;
    direction: Direction;
    kind: "float64";
    /** Which of the sweep's {@linkcode FLOAT64_PARTS} consecutive slices. */
    part: number;
    quick: boolean;
  };

/** The items of `cases`, forward then backward per case. */
export function itemsOf(cases: readonly Case[]): Item[] {
  return cases.flatMap((c) =>
    (["forward", "backward"] as const).map((direction) => ({
      key: `${c.id} ${direction}`,
      caseId: c.id,
      direction,
    }))
  );
}

/** Runs one unit of work. */
export function runUnit(c: Case, unit: Unit): BlockResult {
  if (unit.kind === "float32") {
    const start = unit.block * BLOCK_SIZE;
    const x = unit.quick
      ? float32Block(
        start + (unit.block * 2654435761) % QUICK_STRIDE,
        BLOCK_SIZE / QUICK_STRIDE,
        QUICK_STRIDE,
      )
      : float32Block(start, BLOCK_SIZE);
    return checkFloat32(c, unit.direction, x);
  }
  // Full: 8 significands per binade and sign; quick: 1 in every 4th binade.
  const x = unit.quick ? float64Inputs(c, 1, 3, 4) : float64Inputs(c, 8, 3, 1);
  const at = (part: number) => Math.floor((part * x.length) / FLOAT64_PARTS);
  return checkFloat64(c, unit.direction, x.slice(at(unit.part), at(unit.part + 1)));
}

/**
 * A fingerprint of what the library computes for one item: SHA-256 over the output bits of 2^16
 * float32 patterns (every 65,536th) and the quick float64 sweep, on both paths, plus a digest of
 * the sources its results depend on (`code`: the activation's modules and the harness's, see
 * `verify.ts`). Results stand while it is unchanged.
 */
export async function fingerprint(c: Case, direction: Direction, code: string): Promise<string> {
  const x32 = float32Block(12345, 65536, 65536);
  const x64 = float64Inputs(c, 1, 3, 4);
  const parts: Uint8Array[] = [new TextEncoder().encode(`${c.id} ${direction} ${code}`)];
  const before = getKernels();
  try {
    for (const mode of ["auto", "reference"] as const) {
      setKernels(mode);
      for (const x of [x32, x64]) {
        const y = c[direction].run(new Tensor(x)).data;
        parts.push(new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
      }
    }
  } finally {
    setKernels(before);
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(h.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("");
}
