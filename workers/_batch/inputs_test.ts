import assert from "node:assert/strict";
import { findInputs, outputPath } from "./inputs.ts";

async function withTree(files: string[], f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    for (const rel of files) {
      await Deno.mkdir(`${dir}/${rel}`.replace(/\/[^/]+$/, ""), { recursive: true });
      await Deno.writeTextFile(`${dir}/${rel}`, "");
    }
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const rels = (inputs: { files: { rel: string }[] }) => inputs.files.map((f) => f.rel);

Deno.test("findInputs() searches a folder for .npy files, sorted, skipping hidden ones", async () => {
  const files = ["d/b.npy", "d/a/c.npy", "d/a/z.txt", "d/.hidden/x.npy", "d/.y.npy", "d/A.NPY"];
  await withTree(files, async (dir) => {
    const inputs = await findInputs(`${dir}/d`, `${dir}/out`);
    assert.equal(inputs.kind, "dataset");
    assert.deepEqual(rels(inputs), ["A.NPY", "a/c.npy", "b.npy"]);
    assert.equal(outputPath(inputs, inputs.files[1], `${dir}/out`), `${dir}/out/a/c.npy`);
  });
});

Deno.test("findInputs() leaves out an output folder inside the input, and refuses the reverse", async () => {
  await withTree(["d/a.npy", "d/out/a.npy"], async (dir) => {
    assert.deepEqual(rels(await findInputs(`${dir}/d`, `${dir}/d/out`)), ["a.npy"]);
    await assert.rejects(findInputs(`${dir}/d`, `${dir}/d`), /it holds the inputs/);
    await assert.rejects(findInputs(`${dir}/d/out`, `${dir}/d`), /it holds the inputs/);
    await assert.rejects(findInputs(`${dir}/d/a.npy`, `${dir}/d/a.npy`), /over its own input/);
  });
});

Deno.test("findInputs() takes a glob from its first folder with glob syntax", async () => {
  await withTree(["d/train/a.npy", "d/val/b.npy", "d/train/deep/c.npy"], async (dir) => {
    const inputs = await findInputs(`${dir}/d/*/*.npy`, `${dir}/out`);
    assert.equal(inputs.root, `${dir}/d`);
    assert.deepEqual(rels(inputs), ["train/a.npy", "val/b.npy"]);
    assert.deepEqual(rels(await findInputs(`${dir}/d/**/*.npy`, `${dir}/out`)), [
      "train/a.npy",
      "train/deep/c.npy",
      "val/b.npy",
    ]);
    await assert.rejects(findInputs(`${dir}/d/*.npz`, `${dir}/out`), {
      name: "NotFound",
      message: /Cannot find any \.npy file in/,
    });
    await assert.rejects(findInputs(`${dir}/nothing`, `${dir}/out`), /no such file or folder/);
  });
});

Deno.test("findInputs() takes one file as itself and follows links to folders once", async () => {
  await withTree(["d/a.npy"], async (dir) => {
    const one = await findInputs(`${dir}/d/a.npy`, `${dir}/o.npy`);
    assert.equal(one.kind, "file");
    assert.equal(outputPath(one, one.files[0], `${dir}/o.npy`), `${dir}/o.npy`);
    await Deno.symlink(`${dir}/d`, `${dir}/d/loop`);
    assert.deepEqual(rels(await findInputs(`${dir}/d`, `${dir}/out`)), ["a.npy"]);
  });
});
