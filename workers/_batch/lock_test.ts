import assert from "node:assert/strict";
import { lockPath, LockWatcher, tryLock } from "./lock.ts";

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const holder = (host: string, pid: number, token: string) =>
  JSON.stringify({ host, pidns: "", pid, token, since: "" });

Deno.test("tryLock() gives an output's lock to one taker at a time", async () => {
  await withDir(async (dir) => {
    const out = `${dir}/a.npy`;
    const first = await tryLock(out);
    assert.ok(first);
    assert.equal(await tryLock(out), undefined);
    await first.release();
    const second = await tryLock(out);
    assert.ok(second);
    await second.release();
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});

Deno.test("release() leaves a lock that another run took over", async () => {
  await withDir(async (dir) => {
    const out = `${dir}/a.npy`;
    const lock = (await tryLock(out))!;
    await Deno.writeTextFile(lockPath(out), holder("elsewhere", 1, "theirs"));
    await lock.release();
    assert.match(await Deno.readTextFile(lockPath(out)), /theirs/);
  });
});

Deno.test("LockWatcher breaks a lock whose holder is dead, or silent for the timeout", async () => {
  await withDir(async (dir) => {
    // Same host and pid namespace, pid gone: broken at once.
    const own = (await tryLock(`${dir}/a.npy`))!;
    const text = await Deno.readTextFile(lockPath(`${dir}/a.npy`));
    await own.release();
    await Deno.writeTextFile(lockPath(`${dir}/a.npy`), text.replace(/"pid":\d+/, '"pid":4194305'));
    const watcher = new LockWatcher(40);
    assert.equal(await watcher.check(`${dir}/a.npy`), "free");
    // Another host's: held while it changes, broken once unchanged for the timeout.
    await Deno.writeTextFile(lockPath(`${dir}/b.npy`), holder("elsewhere", 1, "t1"));
    assert.equal(await watcher.check(`${dir}/b.npy`), "held");
    await Deno.writeTextFile(lockPath(`${dir}/b.npy`), holder("elsewhere", 1, "t2"));
    assert.equal(await watcher.check(`${dir}/b.npy`), "held", "a new holder starts over");
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(await watcher.check(`${dir}/b.npy`), "free");
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});
