import assert from "node:assert/strict";
import {
  type CompletionRecord,
  readRecord,
  recordPath,
  VERSION,
  whyIncomplete,
  writeRecord,
} from "./record.ts";

const info = (size: number, mtime: number) => ({ size, mtime: new Date(mtime) }) as Deno.FileInfo;

const record: CompletionRecord = {
  format: 1,
  op: "gelu",
  options: { approximate: "none" },
  version: VERSION,
  input: { size: 100, mtimeMs: 1000 },
  output: { size: 100, mtimeMs: 2000, shape: [4], dtype: "float32", sha256: "00" },
  finished: "2026-01-01T00:00:00.000Z",
  host: "h",
};
const recipe = { op: "gelu", options: { approximate: "none" }, version: VERSION };

Deno.test("whyIncomplete() accepts only the same op, options, version, input and output", () => {
  const input = info(100, 1000), output = info(100, 2000);
  assert.equal(whyIncomplete(record, recipe, input, output), undefined);
  const cases: [unknown, RegExp][] = [
    [whyIncomplete(undefined, recipe, input, output), /no completion record/],
    [whyIncomplete(record, { ...recipe, op: "relu" }, input, output), /made by gelu/],
    [
      whyIncomplete(record, { ...recipe, options: { approximate: "tanh" } }, input, output),
      /made with options \{"approximate":"none"\}/,
    ],
    [whyIncomplete(record, { ...recipe, version: "9.9.9" }, input, output), /nonlin 0/],
    [whyIncomplete(record, recipe, info(100, 1001), output), /input changed/],
    [whyIncomplete(record, recipe, info(99, 1000), output), /input changed/],
    [whyIncomplete(record, recipe, input, undefined), /output is missing/],
    [whyIncomplete(record, recipe, input, info(100, 2001)), /output changed/],
  ];
  for (const [why, expected] of cases) assert.match(String(why), expected);
});

Deno.test("records round-trip beside their output and unreadable ones count as none", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/x.npy`;
    assert.equal(recordPath(out), `${dir}/.x.npy.nonlin.json`);
    assert.equal(await readRecord(out), undefined);
    await writeRecord(out, record);
    assert.deepEqual(await readRecord(out), record);
    await Deno.writeTextFile(recordPath(out), '{"format": 1, "op": "ge'); // cut short
    assert.equal(await readRecord(out), undefined);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [".x.npy.nonlin.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
