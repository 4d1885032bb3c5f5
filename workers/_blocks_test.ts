import assert from "node:assert/strict";
import fc from "fast-check";
import { sizeOf } from "@nonlin/core/internal";
import {
  blockShape,
  blockSize,
  gather,
  geometryOf,
  isContiguous,
  scatter,
  splitBlocks,
} from "./_blocks.ts";

Deno.test("geometryOf() sees a tensor as outer × mid × inner around dim", () => {
  assert.deepEqual(geometryOf([2, 3, 4, 5], 2), { outer: 6, inner: 5, dim: 2 });
  assert.deepEqual(geometryOf([2, 3, 4, 5], 0), { outer: 1, inner: 60, dim: 0 });
  assert.deepEqual(geometryOf([2, 3, 4, 5], -1), { outer: 120, inner: 1, dim: -1 });
});

Deno.test("splitBlocks() covers every slice exactly once, outer rows first", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 8 }),
      (outer, inner, parts) => {
        const g = { outer, inner, dim: 1 };
        const blocks = splitBlocks(g, parts);
        assert.ok(blocks.length >= 1 && blocks.length <= parts);
        const seen = new Uint8Array(outer * inner);
        for (const b of blocks) {
          for (let o = b.o0; o < b.o1; o++) for (let i = b.i0; i < b.i1; i++) seen[o * inner + i]++;
        }
        assert.ok(seen.every((n) => n === 1));
        if (outer >= parts) assert.ok(blocks.every((b) => isContiguous(g, b)));
      },
    ),
  );
});

Deno.test("gather() and scatter() move a block out and back", () => {
  const g = geometryOf([2, 3, 4], 1); // outer 2, mid 3, inner 4
  const src = Float64Array.from({ length: 24 }, (_, i) => i);
  const block = { o0: 1, o1: 2, i0: 1, i1: 3 };
  const dst = new Float64Array(blockSize(block, 3));
  gather(src, dst, g, block, 3);
  assert.deepEqual([...dst], [13, 14, 17, 18, 21, 22]);
  const back = new Float64Array(24);
  scatter(dst, back, g, block, 3);
  assert.deepEqual([...back].filter((v) => v !== 0), [13, 14, 17, 18, 21, 22]);
});

Deno.test("blockShape() keeps the rank and the position of dim", () => {
  const shape = [2, 3, 4, 5];
  const g = geometryOf(shape, 2);
  const b = { o0: 0, o1: 4, i0: 0, i1: 5 };
  assert.deepEqual(blockShape(shape, g, b, 4), [1, 4, 4, 5]);
  assert.deepEqual(blockShape(shape, g, b, 2), [1, 4, 2, 5]);
  assert.deepEqual(blockShape([7], geometryOf([7], 0), { o0: 0, o1: 1, i0: 0, i1: 1 }, 7), [7]);
  assert.deepEqual(blockShape(shape, geometryOf(shape, -1), { o0: 10, o1: 30, i0: 0, i1: 1 }, 1), [
    20,
  ]);
  assert.equal(sizeOf([1, 4, 4, 5]), blockSize(b, 4));
});
