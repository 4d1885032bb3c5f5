import assert from "node:assert/strict";
import { removeStaleTemporaries, tempPathFor } from "./temp.ts";

Deno.test("removeStaleTemporaries() keeps live writers' files unless the lock says otherwise", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/x.npy`;
    const mine = tempPathFor(out);
    const names = [
      ".x.npy.4194305.dead0000.tmp", // gone (a pid above the kernel's limit), old name
      ".x.npy.1@elsewhere.abcdefgh.tmp", // another host's, fresh
      ".x.npy.1.live0000.tmp", // pid 1 of this host: alive
      ".x.npy.npy.4194305.dead0000.tmp", // x.npy.npy's
      ".y.npy.4194305.dead0000.tmp", // y.npy's
    ];
    for (const name of [...names, mine.slice(dir.length + 1)]) {
      await Deno.writeTextFile(`${dir}/${name}`, "");
    }
    const list = () => [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.equal(await removeStaleTemporaries(out, "dead"), 1);
    assert.ok(!list().includes(names[0]));
    assert.equal(await removeStaleTemporaries(out, "others"), 2);
    assert.deepEqual(list(), [names[3], mine.slice(dir.length + 1), names[4]].sort());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
