import assert from "node:assert/strict";
import { loadResults, readableDate, summaryDots, validateResults } from "./_bench_results.ts";

Deno.test("validateResults() accepts the bench's shape", () => {
  assert.equal(
    validateResults({
      machine: "m",
      date: "d",
      results: [{ name: "a", group: "g", nsPerElement: 1, spread: 0.1, copyRatio: 4.2 }, {
        name: "b",
        group: "g",
        nsPerElement: 0,
      }, { name: "c", group: "g", nsPerElement: 2, copyRatio: 8, overFloat32: 2.1 }],
    }),
    undefined,
  );
});

Deno.test("validateResults() says what is wrong with other shapes", () => {
  assert.equal(validateResults([]), `"machine" should be a string`);
  assert.equal(validateResults({ machine: "m", date: "d" }), `"results" should be an array`);
  assert.match(
    validateResults({
      machine: "m",
      date: "d",
      results: [{ name: "a", group: "g", nsPerElement: -1 }],
    })!,
    /nsPerElement/,
  );
  assert.match(
    validateResults({
      machine: "m",
      date: "d",
      results: [{ name: "a", group: "g", nsPerElement: 1, copyRatio: "4x" }],
    })!,
    /copyRatio should be a number/,
  );
  assert.match(
    validateResults({
      machine: "m",
      date: "d",
      results: [{ name: "a", group: "g", nsPerElement: 1, overFloat32: -2 }],
    })!,
    /overFloat32 should be a number/,
  );
});

Deno.test("loadResults() treats a missing file as no results yet", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await loadResults(`${dir}/latest.json`), { kind: "missing" });
    await Deno.writeTextFile(`${dir}/bad.json`, "[1,");
    assert.equal((await loadResults(`${dir}/bad.json`)).kind, "invalid");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readableDate() writes the run's date for people, in UTC", () => {
  assert.equal(readableDate("2026-11-28T21:20:10.636Z"), "28 November 2026, 21:20 UTC");
  assert.equal(readableDate("2026-11-28"), "28 November 2026");
  assert.equal(readableDate("last Tuesday"), "last Tuesday");
});

Deno.test("summaryDots() keeps our fastest single-thread float32 figure and every peer", () => {
  const dots = summaryDots([
    { name: "dst.set(src)", group: "copy", nsPerElement: 0.25 },
    { name: "nonlin wasm, 1 thread", group: "relu", nsPerElement: 0.5, copyRatio: 2 },
    { name: "nonlin wasm, arena, 1 thread", group: "relu", nsPerElement: 0.25, copyRatio: 1 },
    { name: "nonlin wasm float64, 1 thread", group: "relu", nsPerElement: 0.1, copyRatio: 0.4 },
    { name: "nonlin pool, 2 workers", group: "relu", nsPerElement: 0.1 },
    { name: "tfjs-cpu op only", group: "relu", nsPerElement: 12.5 },
  ]);
  assert.deepEqual(dots, [
    { row: "relu", series: "nonlin (fastest, 1 thread)", value: 1 },
    { row: "relu", series: "tfjs-cpu op only", value: 50 },
  ]);
});

Deno.test("summaryDots() leaves out peers' float64 and multi-thread figures", () => {
  const dots = summaryDots([
    { name: "PyTorch out=, 1 thread", group: "gelu", nsPerElement: 1, copyRatio: 4 },
    { name: "PyTorch float64 out=, 1 thread", group: "gelu", nsPerElement: 2, copyRatio: 8 },
    { name: "PyTorch out=, 2 threads", group: "gelu", nsPerElement: 0.5, copyRatio: 2 },
  ]);
  assert.deepEqual(dots, [{ row: "gelu", series: "PyTorch out=, 1 thread", value: 4 }]);
});
