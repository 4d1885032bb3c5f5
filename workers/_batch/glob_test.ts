import assert from "node:assert/strict";
import { globToRegExp, isGlob, splitGlob } from "./glob.ts";

Deno.test("globToRegExp() matches like a shell, with ** across folders", () => {
  const cases: [string, string[], string[]][] = [
    ["*.npy", ["a.npy", "b.NPY".toLowerCase()], ["a/b.npy", "a.npz", "a.npy.tmp"]],
    ["**/*.npy", ["a.npy", "x/a.npy", "x/y/z/a.npy"], ["a.npz", "x/a.npz"]],
    ["x/**", ["x/a", "x/y/b"], ["y/a"]],
    ["part-?/[ab]*.npy", ["part-1/a1.npy", "part-x/b.npy"], ["part-10/a.npy", "part-1/c.npy"]],
    ["[!a]*.npy", ["b.npy"], ["a.npy"]],
    ["{train,val}/*.npy", ["train/a.npy", "val/b.npy"], ["test/a.npy"]],
    ["a+b (1).npy", ["a+b (1).npy"], ["aab (1).npy"]],
  ];
  for (const [glob, yes, no] of cases) {
    const re = globToRegExp(glob);
    for (const path of yes) assert.ok(re.test(path), `${glob} matches ${path}`);
    for (const path of no) assert.ok(!re.test(path), `${glob} does not match ${path}`);
  }
});

Deno.test("splitGlob() searches from the last folder without glob syntax", () => {
  assert.equal(splitGlob("data/train/*.npy").root, "data/train");
  assert.equal(splitGlob("/mnt/d/**/x.npy").root, "/mnt/d");
  assert.equal(splitGlob("*.npy").root, ".");
  assert.ok(splitGlob("data/*/a.npy").pattern.test("s1/a.npy"));
  assert.ok(isGlob("a/*.npy") && !isGlob("a/b.npy"));
});
