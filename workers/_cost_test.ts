import assert from "node:assert/strict";
import { calibrate, elementNs, shardCount } from "./_cost.ts";

Deno.test("shardCount() keeps work shorter than two round trips on the calling thread", () => {
  assert.equal(shardCount(999, 1000, 4, 100), 0);
  assert.equal(shardCount(1999, 1000, 4, 100), 0);
  assert.equal(shardCount(2000, 1000, 1, 100), 1);
  assert.equal(shardCount(2500, 1000, 4, 100), 2);
  assert.equal(shardCount(1e9, 1000, 4, 100), 4);
  assert.equal(shardCount(1e9, 1000, 4, 3), 3, "no more shards than slices");
  assert.equal(shardCount(1, 0, 4, 100), 4, "a free round trip sends everything");
  assert.equal(shardCount(1e9, 1000, 4, 0), 0, "nothing to cut");
});

Deno.test("calibrate() times a transcendental above an arithmetic operation", () => {
  const c = calibrate();
  assert.ok(c.arithmeticNs > 0 && Number.isFinite(c.arithmeticNs));
  assert.ok(c.transcendentalNs >= c.arithmeticNs);
  assert.equal(calibrate(), c, "measured once");
  const gelu = elementNs({ transcendental: 2, arithmetic: 20 }, c);
  const relu = elementNs({ transcendental: 0, arithmetic: 1 }, c);
  assert.ok(gelu > relu);
});
