import assert from "node:assert/strict";
import { type ActivationInfo, getActivation, Tensor } from "@nonlin/core";
import { planFor, reductionDim } from "./_plan.ts";

Deno.test("planFor() keeps element-wise ops flat and reductions whole along dim", () => {
  const relu = planFor(getActivation("relu"), [3, 4], "float32", {}, "forward")!;
  assert.deepEqual(relu, { dim: -1, mid: 1, shape: [3, 4], dtype: "float32", acceptsOut: true });
  const softmax = planFor(getActivation("softmax"), [3, 4, 5], "float64", { dim: -2 }, "forward")!;
  assert.equal(softmax.dim, 1);
  assert.equal(softmax.mid, 4);
  assert.deepEqual(softmax.shape, [3, 4, 5]);
  assert.equal(softmax.dtype, "float64");
});

Deno.test("planFor() leaves bad options and position-dependent ops to run whole", () => {
  assert.equal(
    planFor(getActivation("gelu"), [2], "float32", { approximate: "x" }, "forward"),
    undefined,
  );
  assert.equal(
    planFor(getActivation("softmax"), [2, 2], "float32", { dim: 2 }, "forward"),
    undefined,
  );
  // Slopes drawn in element order: element 5 of a whole differs from element 5 alone.
  const drawn: ActivationInfo = {
    ...getActivation("relu"),
    forward: (x) => new Tensor(x.data.map((v, i) => v * (i + 1)), x.shape),
  };
  assert.equal(planFor(drawn, [4, 4], "float64", {}, "forward"), undefined);
});

Deno.test("planFor() learns an output that shrinks along dim, and gives up on unknown dims", () => {
  // A GLU-like reduction: halves its dim, ignores out.
  const halve: ActivationInfo = {
    ...getActivation("softmax"),
    name: "halve",
    forward: (x, o) => {
      const dim = (o?.dim as number | undefined) ?? -1;
      const d = dim < 0 ? dim + x.ndim : dim;
      const shape = x.shape.map((s, i) => (i === d ? s / 2 : s));
      return new Tensor(new Float32Array(x.size / 2), shape);
    },
  };
  const plan = planFor(halve, [3, 8, 5], "float32", { dim: 1 }, "forward")!;
  assert.deepEqual(plan.shape, [3, 4, 5]);
  assert.equal(plan.mid, 4);
  assert.equal(plan.acceptsOut, false);
  const noDim: ActivationInfo = { ...getActivation("softmax"), options: [] };
  assert.equal(reductionDim(noDim, [2, 3], {}), undefined);
  assert.equal(planFor(noDim, [2, 3], "float32", {}, "forward"), undefined);
  assert.equal(reductionDim(getActivation("softmax"), [], {}), undefined, "0-d: run whole");
});
