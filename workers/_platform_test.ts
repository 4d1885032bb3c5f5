import assert from "node:assert/strict";
import { hardwareThreads, startWorker, webLocks } from "./_platform.ts";

Deno.test("hardwareThreads() is this machine's count of hardware threads", () => {
  assert.equal(hardwareThreads(), navigator.hardwareConcurrency);
});

Deno.test("startWorker() starts a web worker in Deno with a lock of its own to watch its end", async () => {
  assert.ok(webLocks(), "Deno has Web Locks");
  const events = { crashed: () => {}, exited: () => {} };
  const thread = startWorker(new URL("./worker.ts", import.meta.url), events);
  const other = startWorker(new URL("./worker.ts", import.meta.url), events);
  try {
    assert.match(thread.lock!, /^@nonlin\/workers pool worker \d+ [0-9a-f-]{36}$/);
    assert.notEqual(thread.lock, other.lock);
  } finally {
    thread.terminate();
    other.terminate();
  }
  // A lock nobody holds is granted at once: terminate() ended nothing that was watched.
  assert.equal(await webLocks()!.request(thread.lock!, () => "free"), "free");
});
