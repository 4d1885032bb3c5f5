import assert from "node:assert/strict";
import { ISLANDS } from "./mod.ts";

Deno.test("ISLANDS names each island after its file, as the asset build expects", async () => {
  for (const name of Object.keys(ISLANDS)) {
    const info = await Deno.stat(new URL(`./${name}.tsx`, import.meta.url));
    assert.ok(info.isFile, name);
  }
});
