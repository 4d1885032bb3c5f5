import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { route } from "./accuracy.tsx";
import { encode } from "../../tests/accuracy/results.ts";

function tally(worst: number, over05 = 0) {
  return {
    checked: 10,
    worst,
    worstX: 1,
    worstGot: 1,
    worstWant: 1,
    over05,
    over1: 0,
    over2: 0,
    nan: 0,
    zeroSign: 0,
  };
}

/** A part of an entry with the given worst errors. */
function part(ref: number, ker: number, over05 = 0) {
  return {
    inputs: 4294967296,
    seconds: 1,
    decimal: 0,
    pathZeroSign: 0,
    reference: tally(ref, over05),
    kernel: tally(ker),
  };
}

/** Writes a verify.json of these entries into a new folder; returns its path. */
async function writeVerify(machine: string, entries: unknown[]): Promise<string> {
  const dir = await Deno.makeTempDir();
  const bounds = { float32Reference: 0.5, float32Kernel: 2, float64Reference: 1, float64Kernel: 4 };
  await Deno.writeTextFile(
    `${dir}/verify.json`,
    encode({ command: "deno task verify", machine, bounds, entries }),
  );
  return dir;
}

Deno.test("the accuracy page shows each verified entry, its bounds met or missed, and what is pending", async () => {
  const dir = await writeVerify("test machine", [
    {
      id: "sigmoid",
      name: "sigmoid",
      options: {},
      direction: "forward",
      commit: "x",
      digest: "d",
      finished: "",
      float32: part(0.5, 0.9),
      float64: part(0.5, 2.1),
    },
    {
      id: "tanh",
      name: "tanh",
      options: {},
      direction: "backward",
      commit: "x",
      digest: "d",
      finished: "",
      float32: part(0.5, 2.5, 3),
      float64: part(0.5, 1),
    },
  ]);
  const page = await route.render({}, {
    benchResults: `${dir}/none.json`,
    verifyResults: `${dir}/verify.json`,
  });
  assert.ok(page !== null);
  const html = renderToString(page.body);
  assert.match(html, /test machine/);
  assert.match(html, /sigmoid/);
  assert.match(html, /tanh<\/a> ′/);
  assert.match(html, /2\.500 ✗/, "a kernel over 2 ULP is marked as missing its bound");
  assert.match(html, /3 not nearest/);
  assert.match(html, /Not verified exhaustively yet[^]*gelu/);
  const missing = await route.render({}, { benchResults: "", verifyResults: `${dir}/absent.json` });
  assert.match(renderToString(missing!.body), /No results yet/);
});

Deno.test("an activation page shows its own verified figures, or that none exist yet", async () => {
  const { route: activation } = await import("./activations/[name].tsx");
  const dir = await writeVerify("m", [{
    id: "sigmoid",
    name: "sigmoid",
    options: {},
    direction: "backward",
    commit: "x",
    digest: "d",
    finished: "",
    float32: part(0.5, 1.25),
    float64: part(0.5, 1.25),
  }]);
  const context = { benchResults: "", verifyResults: `${dir}/verify.json` };
  const { renderPage } = await import("../render.tsx");
  const sigmoid = renderPage(
    (await activation.render({ name: "sigmoid" }, context))!,
    "/activations/sigmoid",
  );
  assert.match(sigmoid, /Verified on all/);
  assert.match(sigmoid, /sigmoid<\/a> ′/);
  assert.match(sigmoid, /1\.250/);
  const gelu = renderPage(
    (await activation.render({ name: "gelu" }, context))!,
    "/activations/gelu",
  );
  assert.match(gelu, /not run yet for gelu/);
});
