import assert from "node:assert/strict";
import {
  BYTES_FILE,
  bytesModule,
  compileKernels,
  entrySource,
  SOURCE_DIR,
} from "../../../scripts/build_wasm.ts";

Deno.test("_bytes.ts is what scripts/build_wasm.ts builds from core/_kernels/asm/", async () => {
  const { wasm } = await compileKernels();
  assert.equal(
    await Deno.readTextFile(BYTES_FILE),
    bytesModule(wasm),
    "run `deno task build:wasm`",
  );
  assert.ok(WebAssembly.validate(wasm));
});

Deno.test("the kernels' entry re-exports every source without a leading _, sorted", () => {
  const sources = [...Deno.readDirSync(SOURCE_DIR)].map((e) => e.name).filter((name) =>
    name.endsWith(".ts") && !name.startsWith("_")
  ).sort();
  assert.ok(sources.includes("relu.ts") && sources.includes("softmax.ts"));
  assert.equal(
    entrySource(),
    sources.map((name) => `export * from "./${name.slice(0, -3)}";\n`).join(""),
  );
});
