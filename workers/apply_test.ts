import assert from "node:assert/strict";
import { type ActivationInfo, ACTIVATIONS, type AnyOptions, randn, Tensor } from "@nonlin/core";
import { applyNpy, type ApplyProgress } from "./apply.ts";
import { decodeNpy, encodeNpy } from "./npy.ts";
import { WorkerPool } from "./pool.ts";
import { planFor } from "./_plan.ts";

function sameBits(actual: Tensor, expected: Tensor, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  for (let k = 0; k < actual.size; k++) {
    const a = actual.data[k], b = expected.data[k];
    if (!Object.is(a, b) && !(a !== a && b !== b)) {
      assert.fail(`${what}: element ${k} is ${a}, expected ${b}`);
    }
  }
}

/** Required options filled in, and every dim for the reductions. */
function optionSets(entry: ActivationInfo, ndim: number): AnyOptions[] {
  const base: AnyOptions = {};
  for (const spec of entry.options) {
    if (!spec.required) continue;
    if (spec.kind === "enum") base[spec.name] = spec.values![0];
    else if (spec.kind === "boolean") base[spec.name] = true;
    else base[spec.name] = (spec.min ?? spec.above ?? 0) + 1;
  }
  if (!entry.options.some((s) => s.name === "dim")) return [base];
  return Array.from({ length: ndim }, (_, dim) => ({ ...base, dim }));
}

Deno.test("applyNpy() streams every registry op in many chunks, bitwise like core", async () => {
  const dir = await Deno.makeTempDir();
  const pool = new WorkerPool({ size: 2, roundTripMs: 0 });
  try {
    for (const entry of ACTIVATIONS) {
      for (const [dtype, shape] of [["float32", [6, 10]], ["float64", [4, 6, 8]]] as const) {
        {
          for (const options of optionSets(entry, shape.length)) {
            const what = `${entry.name}(${dtype} [${shape}], ${JSON.stringify(options)})`;
            const x = randn([...shape], { seed: shape.length, dtype, std: 4 });
            let expected: Tensor;
            try {
              expected = entry.forward(x, options);
            } catch {
              continue; // options core refuses for this shape are the CLI tests' business
            }
            await Deno.writeFile(`${dir}/in.npy`, encodeNpy(x));
            // 128 bytes: a handful of elements per chunk, so rows are cut into strided runs
            // for every dim but the last.
            const progress: ApplyProgress[] = [];
            const result = await applyNpy(entry.name, `${dir}/in.npy`, `${dir}/out.npy`, {
              options,
              pool,
              chunkBytes: 128,
              onProgress: (p) => progress.push(p),
            });
            const y = decodeNpy(await Deno.readFile(`${dir}/out.npy`));
            sameBits(y, expected, what);
            assert.deepEqual(result.shape, expected.shape);
            // Calls that must see the whole array (PReLU per channel) are one chunk.
            const cut = planFor(entry, shape, dtype, options, "forward") !== undefined;
            assert.ok(!cut || progress.length > 1, `${what}: several chunks`);
            assert.equal(progress.at(-1)!.done, x.size * (dtype === "float64" ? 8 : 4));
          }
        }
      }
    }
  } finally {
    await pool.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("applyNpy() handles scalars, empty arrays and one chunk per file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sigmoid = ACTIVATIONS.find((a) => a.name === "sigmoid")!;
    for (
      const x of [new Tensor(new Float32Array([0]), []), new Tensor(new Float64Array(0), [3, 0])]
    ) {
      await Deno.writeFile(`${dir}/in.npy`, encodeNpy(x));
      await applyNpy("sigmoid", `${dir}/in.npy`, `${dir}/out.npy`, { workers: 1 });
      sameBits(
        decodeNpy(await Deno.readFile(`${dir}/out.npy`)),
        sigmoid.forward(x),
        `[${x.shape}]`,
      );
    }
    const x = randn([100, 7], { seed: 3 });
    await Deno.writeFile(`${dir}/in.npy`, encodeNpy(x));
    await applyNpy("softmax", `${dir}/in.npy`, new URL(`file://${dir}/out.npy`), {
      workers: 2,
      options: { dim: 0 },
    });
    const softmax = ACTIVATIONS.find((a) => a.name === "softmax")!;
    sameBits(
      decodeNpy(await Deno.readFile(`${dir}/out.npy`)),
      softmax.forward(x, { dim: 0 }),
      "dim 0",
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["in.npy", "out.npy"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("applyNpy() aborted leaves neither a partial output nor a temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/in.npy`, encodeNpy(randn([64, 64], { seed: 1 })));
    await Deno.writeTextFile(`${dir}/out.npy`, "previous");
    const controller = new AbortController();
    await assert.rejects(
      applyNpy("gelu", `${dir}/in.npy`, `${dir}/out.npy`, {
        workers: 1,
        chunkBytes: 1024,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
      { name: "AbortError" },
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["in.npy", "out.npy"]);
    assert.equal(await Deno.readTextFile(`${dir}/out.npy`), "previous");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
