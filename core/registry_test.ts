import assert from "node:assert/strict";
import * as core from "./mod.ts";
import { ACTIVATIONS, getActivation, type OptionSpec, randn, type Tensor, tensor } from "./mod.ts";
import { assertClose, numericalGradient } from "./testing.ts";

const exported = core as unknown as Record<string, unknown>;
const entryPoints = JSON.parse(Deno.readTextFileSync(new URL("./deno.json", import.meta.url)))
  .exports as Record<
    string,
    string
  >;

/** Options that satisfy every required option of an entry (e.g. Threshold's). */
function sampleOptions(options: readonly OptionSpec[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const spec of options) {
    if (!spec.required) continue;
    o[spec.name] = spec.kind === "enum" ? spec.values![0] : spec.kind === "boolean" ? false : 0.5;
  }
  return o;
}

/** An input whose shape suits every kind of entry (GLU halves an even last dim; Softmax2d wants 3-d). */
function sampleInput(dtype: "float32" | "float64" = "float64"): Tensor {
  return randn([2, 3, 4], { seed: 11, dtype }).mul(2);
}

Deno.test("registry names are unique and look up by name", () => {
  const names = ACTIVATIONS.map((a) => a.name);
  assert.equal(new Set(names).size, names.length);
  for (const a of ACTIVATIONS) assert.equal(getActivation(a.name), a);
  assert.throws(() => getActivation("swish"), {
    name: "RangeError",
    message: /Cannot find activation "swish": expected one of relu, /,
  });
});

Deno.test("ACTIVATIONS follows the lines of registry.ts, one per activation file", async () => {
  const source = await Deno.readTextFile(new URL("./registry.ts", import.meta.url));
  const files = [...source.matchAll(/^export \* from "\.\/(\w+)\.ts";$/gm)].map((m) => m[1])
    .filter((f) => f !== "activation");
  const fileOf = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  assert.deepEqual(ACTIVATIONS.map((a) => fileOf(a.name)), files);
});

for (const info of ACTIVATIONS) {
  Deno.test(`registry entry ${info.name} is fully wired: exports, docs, forward, backward, module`, () => {
    // The functional form, its backward and the class are exported under the documented names.
    assert.equal(typeof exported[info.name], "function", `${info.name} is exported`);
    assert.equal(
      typeof exported[`${info.name}Backward`],
      "function",
      `${info.name}Backward is exported`,
    );
    assert.equal(typeof exported[info.className], "function", `${info.className} is exported`);
    // An entry point of its own is optional (the main entry exports everything); where there is
    // one, its kebab-case key names the activation's snake_case file.
    const kebab = info.name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
    const file = `./${info.name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase())}.ts`;
    const key = Object.keys(entryPoints).find((k) => entryPoints[k] === file);
    if (key !== undefined) assert.equal(key, `./${kebab}`, `deno.json's entry point for ${file}`);
    // Its description is complete.
    for (const field of ["title", "summary", "range"] as const) {
      assert.ok(info[field].length > 0, field);
    }
    assert.ok(info.formula.f.length > 0 && info.formula.df.length > 0, "formula of f and f'");
    assert.ok(info.cost.transcendental >= 0 && info.cost.arithmetic > 0, "cost per element");
    assert.ok(["input", "output", "none"].includes(info.caches.what));
    assert.ok(info.caches.bytesPerElement >= 0);
    for (const spec of info.options) {
      assert.ok(spec.description.length > 0, `${spec.name} is described`);
      assert.ok(spec.required || spec.default !== undefined, `${spec.name} has a default`);
    }
    // Forward keeps dtype; element-wise entries keep the shape too.
    const options = sampleOptions(info.options);
    for (const dtype of ["float32", "float64"] as const) {
      const x = sampleInput(dtype);
      const y = info.forward(x, options);
      assert.equal(y.dtype, dtype);
      if (info.kind === "elementwise") assert.deepEqual(y.shape, x.shape);
    }
    // The module class agrees with the functional form, and backward with finite differences.
    const x = sampleInput();
    const y = info.forward(x, options);
    const m = info.create(options);
    assert.deepEqual(m.forward(x).data, y.data);
    const dy = randn(y.shape, { seed: 12, dtype: "float64" });
    const analytic = info.backward(dy, x, options);
    assert.deepEqual(m.backward(dy).data, analytic.data, "module backward = registry backward");
    const numeric = numericalGradient((v) => info.forward(v, options), x, dy);
    assertClose(analytic, numeric, { rtol: 1e-4, atol: 1e-6, message: info.name });
  });
}

Deno.test("every registry entry rejects unknown options and non-tensors", () => {
  for (const info of ACTIVATIONS) {
    assert.throws(
      () => info.forward(tensor([1, 2]), { ...sampleOptions(info.options), bogus: 1 }),
      {
        name: "TypeError",
        message: /unknown option "bogus"/,
      },
      info.name,
    );
    assert.throws(
      () => info.forward([1, 2] as never, sampleOptions(info.options)),
      TypeError,
      info.name,
    );
  }
});

Deno.test("every export of the public entry points has documentation with an example", async () => {
  for (const [key, file] of Object.entries(entryPoints)) {
    const source = await Deno.readTextFile(new URL(file, import.meta.url));
    const exportsInFile = [
      ...source.matchAll(/^export (?:async )?(?:function|class|const|interface|type) (\w+)/gm),
    ];
    for (const match of exportsInFile) {
      const before = source.slice(0, match.index);
      const doc = before.slice(before.lastIndexOf("/**"));
      assert.ok(
        before.trimEnd().endsWith("*/") && doc.length > 10,
        `${key}: export ${match[1]} has JSDoc`,
      );
      if (/^export (?:async )?(?:function|class)/.test(match[0])) {
        assert.match(doc, /@example/, `${key}: export ${match[1]} has an @example`);
      }
    }
  }
});
