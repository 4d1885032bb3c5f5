// The declarations are data that the pool, the `.npy` command and the kernels trust without
// running anything: these tests run every activation to check that what it declares is true.
import assert from "node:assert/strict";
import { wasmAvailable, wasmRows, wasmUnary } from "./_kernels/wasm/mod.ts";
import { type ActivationInfo, ACTIVATIONS, type AnyOptions, full, randn, Tensor } from "./mod.ts";

/** The options each entry is checked with: the defaults, plus variants that change behaviour. */
function variants(a: ActivationInfo): AnyOptions[] {
  const base: AnyOptions = {};
  for (const o of a.options) if (o.required) base[o.name] = 0.5;
  const list = [base];
  if (a.name === "prelu") list.push({ numParameters: 4 }, { weight: full([4], 0.1) });
  if (a.name === "rrelu") list.push({ training: true, seed: 5 });
  if (a.options.some((o) => o.name === "dim")) list.push({ ...base, dim: 0 }, { ...base, dim: 1 });
  return list;
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i]) && !(a[i] !== a[i] && b[i] !== b[i])) return false;
  }
  return true;
}

/** Whether each output equals the op applied to its input alone (which may not be allowed). */
function pointwise(a: ActivationInfo, x: Tensor, options: AnyOptions): boolean {
  const whole = a.forward(x, options).data;
  const one = x.shape.map(() => 1);
  try {
    for (let i = 0; i < x.size; i++) {
      const alone = new Tensor(new Float64Array([x.data[i]]), one);
      if (!sameBits([a.forward(alone, options).data[0]], [whole[i]])) return false;
    }
  } catch {
    return false; // PReLU's four slopes need a dim 1 of size 4
  }
  return true;
}

for (const a of ACTIVATIONS) {
  Deno.test(`${a.name} declares its shape behaviour truly`, () => {
    const x = randn([2, 4, 6], { seed: 3, dtype: "float64" }).mul(3);
    for (const options of variants(a)) {
      const y = a.forward(x, options);
      assert.equal(y.dtype, x.dtype, "the output's dtype is the input's");
      const { slices, alongDim, acceptsOut, positionDependent } = a.shape;
      const dim = slices === "none"
        ? -1
        : slices === "dim-option"
        ? ((options.dim as number | undefined) ?? -1) +
          (((options.dim as number) ?? -1) < 0 ? 3 : 0)
        : slices + 3;
      assert.equal(a.kind === "elementwise", slices === "none");
      const expected = x.shape.map((s, d) => d === dim && alongDim === "half" ? s / 2 : s);
      assert.deepEqual(y.shape, expected, `output shape with ${JSON.stringify(options)}`);
      if (slices === "none") {
        assert.equal(
          !pointwise(a, x, options),
          positionDependent?.(options) ?? false,
          `position dependence with ${JSON.stringify(options)}`,
        );
      } else {
        // Slices along dim are computed apart: the op on one slice gives that slice's output.
        const pick = x.shape.map((s, d) => (d === dim ? s : 1));
        const first = new Float64Array(pick.reduce((p, q) => p * q, 1));
        const stride = x.shape.slice(dim + 1).reduce((p, q) => p * q, 1);
        for (let j = 0; j < first.length; j++) first[j] = x.data[j * stride];
        const part = a.forward(new Tensor(first, pick), options).data;
        const yStride = y.shape.slice(dim + 1).reduce((p, q) => p * q, 1);
        assert.ok(
          sameBits(part, Array.from(part, (_, j) => y.data[j * yStride])),
          `slices along dim ${dim} are independent`,
        );
      }
      const out = new Tensor(new Float64Array(y.size), y.shape);
      let wrote = false;
      try {
        wrote = a.forward(x, { ...options, out }).data === out.data;
      } catch {
        wrote = false;
      }
      assert.equal(wrote, acceptsOut, `forward honours out: ${acceptsOut}`);
    }
  });
}

Deno.test("every kernel binding names kernels the WebAssembly module has", {
  ignore: !wasmAvailable(),
}, () => {
  const bound = ACTIVATIONS.filter((a) => a.kernel !== undefined);
  assert.ok(bound.length >= 11);
  for (const a of bound) {
    const { name, layout } = a.kernel!;
    const names = typeof name === "string" ? [name] : Object.values(name.names);
    if (typeof name !== "string") {
      const option = a.options.find((o) => o.name === name.option);
      assert.deepEqual(Object.keys(name.names).sort(), [...option!.values!].sort());
    }
    for (const p of a.kernel!.params ?? []) {
      assert.ok(a.options.some((o) => o.name === p), `${a.name}: parameter ${p} is an option`);
    }
    for (const n of names) {
      const x = new Float32Array(16), y = new Float32Array(16);
      const ran = layout === "rows" ? wasmRows(n, x, y, 16) : wasmUnary(n, x, y, [1, 20]);
      assert.ok(ran, `${a.name}: kernel ${n} runs on float32`);
    }
  }
});
