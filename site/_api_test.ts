import assert from "node:assert/strict";
import { exportSpecifiers, moduleSummary, rewriteImports } from "./_api.ts";

Deno.test("exportSpecifiers() maps the packages' files to their published specifiers", async () => {
  const map = await exportSpecifiers(["core", "workers", "no-such-package"]);
  assert.equal(map.get("core/mod.ts"), "@nonlin/core");
  assert.equal(map.get("core/testing.ts"), "@nonlin/core/testing");
  assert.equal(map.get("workers/mod.ts"), "@nonlin/workers");
});

Deno.test("moduleSummary() reads the first paragraph of the module doc", () => {
  const source =
    "/**\n * First line\n * goes on `here`.\n *\n * Second.\n *\n * @module\n */\nexport {};";
  assert.equal(moduleSummary(source), "First line goes on here.");
  assert.equal(moduleSummary("export {};"), "");
});

Deno.test("rewriteImports() turns deno doc's workspace paths into specifiers", () => {
  const html = "import { GELU } from &quot;core/mod.ts&quot;; see core/mod.ts";
  assert.equal(
    rewriteImports(html, new Map([["core/mod.ts", "@nonlin/core"]])),
    "import { GELU } from &quot;@nonlin/core&quot;; see core/mod.ts",
  );
});
