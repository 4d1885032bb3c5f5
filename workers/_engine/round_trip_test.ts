import assert from "node:assert/strict";
import { RoundTrip } from "./round_trip.ts";

Deno.test("RoundTrip pings six times once, skipping the first, and remembers the median", async () => {
  let pings = 0;
  const roundTrip = new RoundTrip(async () => {
    pings++;
    await new Promise((r) => setTimeout(r, 1));
  });
  const ms = await roundTrip.get();
  assert.ok(ms >= 0.5 && ms < 1000, `${ms} ms`);
  assert.equal(pings, 6);
  assert.equal(await roundTrip.get(), ms);
  assert.equal(pings, 6, "measured once");
});

Deno.test("RoundTrip tries again after a failed measurement", async () => {
  let fail = true;
  const roundTrip = new RoundTrip(() =>
    fail ? Promise.reject(new Error("no worker")) : Promise.resolve()
  );
  await assert.rejects(roundTrip.get(), /no worker/);
  await Promise.resolve(); // the failure is forgotten once it is seen
  fail = false;
  assert.ok((await roundTrip.get()) >= 0);
});
