import assert from "node:assert/strict";
import { type ActivationInfo, getActivation } from "@nonlin/core";
import { coreAccepts, derivePlan, planFor, Planner, reductionDim } from "./_plan.ts";

/** The entry with its forward and backward counted, to see whether planning runs them. */
function counted(name: string): { entry: ActivationInfo; calls: () => number } {
  const real = getActivation(name);
  let calls = 0;
  const entry: ActivationInfo = {
    ...real,
    forward: (x, o) => (calls++, real.forward(x, o)),
    backward: (dy, x, o) => (calls++, real.backward(dy, x, o)),
  };
  return { entry, calls: () => calls };
}

Deno.test("derivePlan() keeps element-wise ops flat and reductions whole along dim", () => {
  const relu = derivePlan(getActivation("relu"), [3, 4], "float32", {})!;
  assert.deepEqual(relu, { dim: -1, mid: 1, shape: [3, 4], dtype: "float32", acceptsOut: true });
  const softmax = derivePlan(getActivation("softmax"), [3, 4, 5], "float64", { dim: -2 })!;
  assert.deepEqual(softmax, {
    dim: 1,
    mid: 4,
    shape: [3, 4, 5],
    dtype: "float64",
    acceptsOut: true,
  });
  const softmaxEntry = getActivation("softmax");
  const noOut = { ...softmaxEntry, shape: { ...softmaxEntry.shape, acceptsOut: false } };
  assert.equal(derivePlan(noOut, [2, 3], "float32", {})!.acceptsOut, false, "read, not tried");
});

Deno.test("derivePlan() reads Softmax2d's fixed dim -3 and gives up below three dims", () => {
  const softmax2d = getActivation("softmax2d");
  assert.equal(derivePlan(softmax2d, [2, 3, 4, 5], "float32", {})!.dim, 1);
  assert.equal(derivePlan(softmax2d, [3, 4, 5], "float32", {})!.dim, 0);
  assert.deepEqual(derivePlan(softmax2d, [3, 4, 5], "float32", {})!.shape, [3, 4, 5]);
  assert.equal(derivePlan(softmax2d, [4, 5], "float32", {}), undefined, "core reports the rank");
});

Deno.test("derivePlan() halves GLU's dim, and leaves an odd size to core", () => {
  const glu = getActivation("glu");
  const plan = derivePlan(glu, [3, 8, 5], "float32", { dim: 1 })!;
  assert.deepEqual(plan, { dim: 1, mid: 4, shape: [3, 4, 5], dtype: "float32", acceptsOut: true });
  assert.deepEqual(derivePlan(glu, [3, 8], "float64", {})!.shape, [3, 4], "default dim -1");
  assert.equal(derivePlan(glu, [3, 7], "float32", {}), undefined);
});

Deno.test("derivePlan() runs position-dependent calls whole: PReLU per channel, RReLU training", () => {
  const prelu = getActivation("prelu"), rrelu = getActivation("rrelu");
  assert.ok(derivePlan(prelu, [2, 3, 4], "float32", {}));
  assert.ok(derivePlan(prelu, [2, 3, 4], "float32", { numParameters: 1 }));
  assert.equal(derivePlan(prelu, [2, 3, 4], "float32", { numParameters: 3 }), undefined);
  assert.ok(derivePlan(rrelu, [2, 3], "float32", {}));
  assert.ok(derivePlan(rrelu, [2, 3], "float32", { training: false }));
  assert.equal(derivePlan(rrelu, [2, 3], "float32", { training: true }), undefined);
});

Deno.test("derivePlan() runs no op: the registry alone decides", () => {
  for (const name of ["relu", "softmax", "glu", "softmax2d"]) {
    const { entry, calls } = counted(name);
    assert.ok(derivePlan(entry, [2, 4, 6], "float32", {}), name);
    assert.equal(calls(), 0, name);
  }
});

Deno.test("reductionDim() gives up on unknown dims, 0-d tensors and dims out of range", () => {
  const softmax = getActivation("softmax");
  assert.equal(reductionDim(softmax, [2, 3], { dim: -2 }), 0);
  assert.equal(reductionDim(softmax, [2, 3], { dim: 2 }), undefined);
  assert.equal(reductionDim(softmax, [2, 3], { dim: 0.5 }), undefined);
  assert.equal(reductionDim(softmax, [2, 3], { dim: "0" }), undefined);
  assert.equal(reductionDim(softmax, [], {}), undefined, "0-d: run whole");
  assert.equal(reductionDim(getActivation("relu"), [], {}), -1);
  const noDim: ActivationInfo = { ...getActivation("softmax"), options: [] };
  assert.equal(reductionDim(noDim, [2, 3], {}), undefined);
});

Deno.test("planFor() leaves options core refuses to run whole, where core reports them", () => {
  assert.equal(
    planFor(getActivation("gelu"), [2], "float32", { approximate: "x" }, "forward"),
    undefined,
  );
  assert.equal(planFor(getActivation("relu"), [2], "float32", { bogus: 1 }, "forward"), undefined);
  const hardtanh = getActivation("hardtanh");
  assert.equal(planFor(hardtanh, [2], "float32", { minVal: 1, maxVal: -1 }, "forward"), undefined);
  assert.ok(planFor(hardtanh, [2], "float32", { minVal: -2, maxVal: 2 }, "backward"));
  assert.equal(
    planFor(getActivation("softmax"), [2, 2], "float32", { dim: 2 }, "forward"),
    undefined,
  );
});

Deno.test("coreAccepts() asks core on an empty tensor of the plan's layout", () => {
  const seen: (readonly number[])[] = [];
  const real = getActivation("glu");
  const glu: ActivationInfo = {
    ...real,
    forward: (x, o) => (seen.push(x.shape), real.forward(x, o)),
    backward: (dy, x, o) => (seen.push(dy.shape, x.shape), real.backward(dy, x, o)),
  };
  const plan = derivePlan(glu, [3, 8, 5], "float64", { dim: 1 })!;
  assert.ok(coreAccepts(glu, [3, 8, 5], plan, { dim: 1 }, "backward"));
  assert.deepEqual(seen, [[0, 8, 0], [0, 4, 0], [0, 8, 0]]);
});

Deno.test("Planner asks core once per layout and options, and plans each shape", () => {
  const { entry, calls } = counted("softmax");
  const planner = new Planner();
  assert.deepEqual(planner.plan(entry, [3, 10], "float32", {}, "forward")!.shape, [3, 10]);
  assert.deepEqual(planner.plan(entry, [7, 10], "float32", {}, "forward")!.shape, [7, 10]);
  assert.equal(calls(), 1);
  assert.ok(planner.plan(entry, [7, 11], "float32", {}, "forward"));
  assert.equal(calls(), 2, "another size along dim is asked again");
  assert.equal(planner.plan(entry, [7, 11], "float32", { dim: 5 }, "forward"), undefined);
  const { entry: gelu } = counted("gelu");
  assert.equal(planner.plan(gelu, [4], "float32", { approximate: "x" }, "forward"), undefined);
  assert.equal(planner.plan(gelu, [4], "float32", { approximate: "x" }, "forward"), undefined);
});
