/**
 * The quick verification of each activation runs from its own test file (see `register.ts`);
 * here, that every element-wise activation of the registry has one. The cases are listed by a
 * `deno run` child: importing the test files here would register their tests twice.
 */

import assert from "node:assert/strict";
import { ACTIVATIONS } from "@nonlin/core";

Deno.test("every element-wise activation of the registry is verified, each case id once", async () => {
  const script = `
    import { verificationCases } from ${
    JSON.stringify(new URL("./cases.ts", import.meta.url).href)
  };
    console.log(JSON.stringify((await verificationCases()).map((c) => [c.id, c.name])));`;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script],
    cwd: new URL(".", import.meta.url),
  }).output();
  const text = new TextDecoder();
  assert.equal(code, 0, text.decode(stderr));
  const cases: [string, string][] = JSON.parse(text.decode(stdout));
  const elementwise = ACTIVATIONS.filter((a) => a.kind === "elementwise").map((a) => a.name);
  assert.deepEqual([...new Set(cases.map(([, name]) => name))].sort(), [...elementwise].sort());
  assert.equal(new Set(cases.map(([id]) => id)).size, cases.length);
  assert.ok(cases.length >= 34);
});

Deno.test("the code digest ignores comments and layout, not code or strings", async () => {
  const { codeOnly } = await import("./verify.ts");
  const code = 'const u = "https://x"; let b = a / 2;';
  assert.equal(codeOnly(`/** doc\n * more */\n${code} // why\n\n  // aside\n`), code);
  assert.notEqual(codeOnly(code), codeOnly(code.replace("2", "3")));
});

Deno.test("an activation's code digest reads its own module graph and the harness, not another's", async () => {
  const { digestSources, codeDigest } = await import("./verify.ts");
  const { files, npm } = await digestSources("sigmoid");
  for (
    const f of ["core/sigmoid.ts", "core/_exp.ts", "core/tensor.ts", "tests/accuracy/check.ts"]
  ) {
    assert.ok(files.includes(f), `${f} in ${files.join(", ")}`);
  }
  for (const f of ["core/gelu.ts", "core/registry.ts", "tests/accuracy/results.ts"]) {
    assert.ok(!files.includes(f), `${f} not in ${files.join(", ")}`);
  }
  assert.ok(npm.some((p) => p.startsWith("decimal.js@")), npm.join(", "));
  assert.notEqual(await codeDigest("sigmoid"), await codeDigest("tanh"));
  assert.equal(await codeDigest("sigmoid"), await codeDigest("sigmoid"));
});
