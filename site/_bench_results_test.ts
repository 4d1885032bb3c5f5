import assert from "node:assert/strict";
import { loadResults, validateResults } from "./_bench_results.ts";

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
