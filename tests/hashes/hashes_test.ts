import assert from "node:assert/strict";
import { computeHashes, type Hashes, HASHES_FILE } from "./hashes.ts";

Deno.test("every activation's output bits are the recorded ones (deno task hashes --write)", async () => {
  const expected: Hashes = JSON.parse(await Deno.readTextFile(HASHES_FILE));
  const actual = await computeHashes();
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  const changed = Object.keys(expected).filter((k) => expected[k] !== actual[k]);
  assert.deepEqual(changed, [], `outputs changed; if intended, run deno task hashes --write`);
});
