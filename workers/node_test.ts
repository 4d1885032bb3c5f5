import assert from "node:assert/strict";
import { gelu, getActivation, randn, relu, softmax, tensor } from "@nonlin/core";
import { build, smoke } from "./testdata/node_build.ts";

/** Whether `node` runs here; under CI its absence is a failure, elsewhere a skip. */
async function hasNode(): Promise<boolean> {
  try {
    const { code } = await new Deno.Command("node", { args: ["--version"] }).output();
    return code === 0;
  } catch {
    if (Deno.env.get("CI")) throw new Error("CI needs node on PATH for the Node tests");
    return false;
  }
}

Deno.test({
  name:
    "Node 20+: the packages as JSR's npm layer gives them run core's README examples, give Deno's bits, and run WorkerPool with its faults and a clean exit",
  ignore: !(await hasNode()),
  async fn() {
    const { dir, examples } = await build();
    try {
      const node = await smoke(dir, examples) as Record<string, unknown>;
      const x = tensor([[-10, 0, 1], [1000, -1000, 0]], { dtype: "float64" });
      // Compared as JSON, as Node printed them.
      const deno = JSON.parse(JSON.stringify({
        gelu: gelu(x).toArray(),
        geluTanh: gelu(x, { approximate: "tanh" }).toArray(),
        relu: relu(x).toArray(),
        softmax: softmax(x, { dim: -1 }).toArray(),
        float32: Array.from(getActivation("sigmoid").forward(randn([64], { seed: 5 })).data),
      }));
      for (const key of Object.keys(deno)) assert.deepEqual(node[key], deno[key], key);
      assert.equal(node.poolGelu, true, "pool gelu matches one thread bitwise");
      assert.equal(node.poolSoftmax, true, "pool softmax matches one thread bitwise");
      assert.equal(node.poolBackward, true, "pool backward matches one thread bitwise");
      assert.equal(node.poolWorked, true, "the workers took part");
      assert.deepEqual(node.faults, {
        crash: 'Worker crashed while running "relu": worker crashed on purpose ' +
          "(an expected fault of the test)",
        exit: 'Worker exited while running "relu" (code 3): it closed itself or called exit',
        after: [0, 2],
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
