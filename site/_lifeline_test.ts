import assert from "node:assert/strict";
import { hasExited, launchers, parseStat, readStat, watchLaunchers } from "./_lifeline.ts";

const linux = Deno.build.os === "linux";

Deno.test("parseStat() counts fields from the last parenthesis of the command name", () => {
  const tail = "0 -1 4194560 0 0 0 0 1 0 0 0 20 0 1 0 123456 1000 10";
  assert.deepEqual(parseStat(`7 (deno) S 1 7 7 ${tail}`), {
    pid: 7,
    state: "S",
    ppid: 1,
    pgrp: 7,
    startTime: "123456",
  });
  assert.deepEqual(parseStat(`8 (a) b (c)) Z 7 3 3 ${tail}`)?.state, "Z");
  assert.equal(parseStat("9 (truncated"), undefined);
  assert.equal(parseStat("9 (short) S 1 2"), undefined);
});

Deno.test({
  name: "launchers() starts at the parent and stays in this process group",
  ignore: !linux,
  fn() {
    const found = launchers();
    assert.ok(found !== undefined && found.length > 0);
    assert.equal(found[0].pid, Deno.ppid);
    const self = readStat(Deno.pid)!;
    for (const ancestor of found.slice(1)) assert.equal(ancestor.pgrp, self.pgrp);
    assert.ok(found.every((ancestor) => !hasExited(ancestor)));
  },
});

Deno.test({
  name: "hasExited() is true once a process has exited, and for a recycled id",
  ignore: !linux,
  async fn() {
    const child = new Deno.Command("sleep", { args: ["30"] }).spawn();
    const stat = readStat(child.pid)!;
    assert.equal(hasExited(stat), false);
    child.kill("SIGKILL");
    await child.status;
    assert.equal(hasExited(stat), true);
    assert.equal(hasExited({ ...stat, pid: Deno.pid }), true, "another process, same id");
  },
});

Deno.test("watchLaunchers() stays quiet while they run and stops when aborted", async () => {
  const stop = new AbortController();
  let gone: number | undefined;
  watchLaunchers((pid) => gone = pid, { interval: 10, signal: stop.signal });
  await new Promise((resolve) => setTimeout(resolve, 50));
  stop.abort();
  assert.equal(gone, undefined);
});
