import assert from "node:assert/strict";
import { ACTIVATIONS, getActivation } from "@nonlin/core";
import {
  byFamily,
  FAMILIES,
  installSnippets,
  matchesQuery,
  resolveActivation,
  searchText,
  shapeNote,
} from "./_activations.ts";

Deno.test("byFamily() puts every activation in exactly one described family", () => {
  const groups = byFamily(ACTIVATIONS);
  assert.equal(groups.flatMap((g) => g.members).length, ACTIVATIONS.length);
  for (const { family } of groups) assert.ok(FAMILIES[family].when.length > 0, family);
});

Deno.test("resolveActivation() takes any case, the class name and aliases", () => {
  assert.equal(resolveActivation(ACTIVATIONS, "leakyRelu")?.name, "leakyRelu");
  assert.equal(resolveActivation(ACTIVATIONS, "LEAKYRELU")?.name, "leakyRelu");
  assert.equal(resolveActivation(ACTIVATIONS, "log_softmax")?.name, "logSoftmax");
  assert.equal(resolveActivation(ACTIVATIONS, "swish")?.name, "silu");
  assert.equal(resolveActivation(ACTIVATIONS, "nope"), undefined);
  assert.equal(resolveActivation(ACTIVATIONS, "--"), undefined);
});

Deno.test("matchesQuery() finds SiLU by its alias and by words of its description", () => {
  const silu = searchText(getActivation("silu"));
  assert.ok(matchesQuery(silu, "Swish"));
  assert.ok(matchesQuery(silu, ""));
  assert.ok(!matchesQuery(silu, "swish banana"));
  const hits = ACTIVATIONS.filter((a) => matchesQuery(searchText(a), "swish")).map((a) => a.name);
  assert.ok(hits.includes("silu") && hits.includes("hardswish"), hits.join());
});

Deno.test("shapeNote() says PyTorch's shapes: any, halved for GLU, images for Softmax2d", () => {
  assert.deepEqual(shapeNote(getActivation("relu")), {
    input: "(*): any number of dimensions",
    output: "(*): the same shape as the input",
  });
  assert.match(shapeNote(getActivation("glu")).output, /M = N \/ 2/);
  assert.match(shapeNote(getActivation("softmax2d")).input, /^\(C, H, W\) or \(N, C, H, W\)/);
  assert.match(shapeNote(getActivation("softmax")).input, /along dim/);
});

Deno.test("installSnippets() install from JSR and import from @nonlin/core", () => {
  const codes = installSnippets(getActivation("gelu")).map((s) => s.code);
  assert.deepEqual(codes, [
    "deno add jsr:@nonlin/core",
    "npx jsr add @nonlin/core",
    'import { gelu, GELU } from "@nonlin/core";',
  ]);
});
