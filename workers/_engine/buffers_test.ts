import assert from "node:assert/strict";
import { SharedBuffers, sizeClass } from "./buffers.ts";

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

Deno.test("SharedBuffers.clear() lets every buffer go, and those given back afterwards", () => {
  const buffers = new SharedBuffers();
  const early = buffers.lease(), late = buffers.lease();
  early.take("float32", 100);
  late.take("float32", 100);
  early.release();
  buffers.clear();
  assert.equal(buffers.idleBytes, 0);
  assert.equal(buffers.allocatedBytes, 0);
  late.release(); // a run that ended after close()
  assert.equal(buffers.idleBytes, 0);
});
