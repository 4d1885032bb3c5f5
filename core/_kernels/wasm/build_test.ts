import assert from "node:assert/strict";
import { BYTES_FILE, bytesModule, compileKernels } from "../../../scripts/build_wasm.ts";

Deno.test("_bytes.ts is what scripts/build_wasm.ts builds from core/_kernels/asm/", async () => {
  const { wasm } = await compileKernels();
  assert.equal(
    await Deno.readTextFile(BYTES_FILE),
    bytesModule(wasm),
    "run `deno task build:wasm`",
  );
  assert.ok(WebAssembly.validate(wasm));
});
