import assert from "node:assert/strict";
import {
  isWeighted,
  MAX_IDLE_OUTPUTS,
  newShared,
  newSharedArray,
  SharedBuffers,
  sizeClass,
} from "./buffers.ts";

Deno.test("sizeClass() rounds up to an eighth of the power of two below, 4 KiB at least", () => {
  assert.equal(sizeClass(1), 4096);
  assert.equal(sizeClass(4096), 4096);
  assert.equal(sizeClass(4097), 4608);
  assert.equal(sizeClass(8_000_000), 8_388_608);
  for (const bytes of [5000, 123_457, 40_000_000]) {
    const size = sizeClass(bytes);
    assert.ok(size >= bytes && size <= bytes * 1.125, `${bytes} → ${size}`);
  }
});

Deno.test("newShared() gives a zeroed SharedArrayBuffer of its exact size that cannot grow, weighted for V8", () => {
  const buffer = newShared(8_000_000);
  assert.ok(buffer instanceof SharedArrayBuffer);
  assert.equal(buffer.byteLength, 8_000_000);
  assert.equal(buffer.maxByteLength, 8_000_000);
  assert.throws(() => buffer.grow(8_000_004), RangeError);
  const view = new Float32Array(buffer, 0, 2_000_000);
  assert.equal(view.length, 2_000_000);
  assert.ok(view.every((v) => v === 0));
  assert.ok(isWeighted(buffer));
  assert.equal(newShared(0).byteLength, 0);
});

Deno.test("SharedBuffers lends staging memory by lease and takes it back for later runs", () => {
  const buffers = new SharedBuffers();
  const first = buffers.lease();
  const a = first.take("float32", 1000);
  const b = first.take("float64", 1000);
  assert.ok(a instanceof Float32Array && a.length === 1000);
  assert.ok(b instanceof Float64Array && b.length === 1000);
  assert.ok(a.buffer instanceof SharedArrayBuffer);
  assert.notEqual(a.buffer, b.buffer);
  assert.equal(buffers.idleBytes, 0);
  first.release();
  assert.equal(buffers.idleBytes, a.buffer.byteLength + b.buffer.byteLength);
  // The smallest idle buffer that fits is lent again; nothing new is allocated.
  const allocated = buffers.allocatedBytes;
  const second = buffers.lease();
  assert.equal(second.take("float32", 900).buffer, a.buffer);
  assert.equal(second.take("float32", 1500).buffer, b.buffer);
  assert.equal(buffers.allocatedBytes, allocated);
  // A request no idle buffer fits gets a new one.
  assert.ok(second.take("float32", 1 << 20).buffer.byteLength >= 4 << 20);
  assert.ok(buffers.allocatedBytes > allocated);
  second.release();
});

Deno.test("SharedBuffers gives the output of a run that did not complete to the next result of its size, and never one handed over", () => {
  const buffers = new SharedBuffers();
  const aborted = buffers.lease();
  const y = aborted.output("float32", 1000);
  assert.equal(y.buffer.byteLength, 4000, "an output fills its buffer exactly");
  assert.ok(isWeighted(y.buffer as SharedArrayBuffer));
  aborted.release();
  assert.equal(buffers.idleBytes, 4000);
  // Staging takes no output, and an output only one of its exact size.
  const other = buffers.lease();
  assert.notEqual(other.take("float32", 500).buffer, y.buffer);
  assert.notEqual(other.output("float32", 999).buffer, y.buffer);
  other.release();
  const completed = buffers.lease();
  const result = completed.output("float32", 1000);
  assert.equal(result.buffer, y.buffer);
  const allocated = buffers.allocatedBytes;
  completed.handOver();
  completed.release();
  assert.equal(buffers.allocatedBytes, allocated - 4000, "the caller's buffer is not the pool's");
  const next = buffers.lease();
  assert.notEqual(next.output("float32", 1000).buffer, result.buffer);
  next.release();
});

Deno.test("SharedBuffers.clear() lets every buffer go, and those given back afterwards", () => {
  const buffers = new SharedBuffers();
  const early = buffers.lease(), late = buffers.lease();
  early.take("float32", 100);
  early.output("float32", 100);
  late.take("float32", 100);
  late.output("float32", 100);
  early.release();
  buffers.clear();
  assert.equal(buffers.idleBytes, 0);
  assert.equal(buffers.allocatedBytes, 0);
  late.release(); // a run that ended after close()
  assert.equal(buffers.idleBytes, 0);
});

Deno.test("SharedBuffers keeps at most MAX_IDLE_OUTPUTS outputs of runs that did not complete, the latest", () => {
  const buffers = new SharedBuffers();
  for (let i = 1; i <= MAX_IDLE_OUTPUTS + 4; i++) {
    const lease = buffers.lease();
    lease.output("float32", i); // a new size each time: none is taken again
    lease.release();
  }
  const kept = Array.from({ length: MAX_IDLE_OUTPUTS + 4 }, (_, i) => (i + 1) * 4);
  assert.equal(buffers.idleBytes, kept.slice(4).reduce((a, b) => a + b, 0));
  assert.equal(buffers.allocatedBytes, buffers.idleBytes);
});

Deno.test("newSharedArray() views weighted shared memory of exactly its length", () => {
  const a = newSharedArray("float64", 3);
  assert.ok(a instanceof Float64Array && a.length === 3 && a.buffer.byteLength === 24);
  assert.ok(a.buffer instanceof SharedArrayBuffer && isWeighted(a.buffer));
});
