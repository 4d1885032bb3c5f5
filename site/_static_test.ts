import assert from "node:assert/strict";
import { resolveFile, safeSegments } from "./_static.ts";

Deno.test("safeSegments() decodes plain relative paths", () => {
  assert.deepEqual(safeSegments("a/b.css"), ["a", "b.css"]);
  assert.deepEqual(safeSegments("fonts/KaTeX%20Main.woff2"), ["fonts", "KaTeX Main.woff2"]);
});

Deno.test("safeSegments() refuses anything that could climb or hide", () => {
  for (
    const path of [
      "",
      "..",
      "a/../b",
      "%2e%2e/x",
      "..%2fx",
      "a%2f..%2fb",
      "a\\..\\b",
      "a%5c..",
      "/etc/passwd",
      "a//b",
      ".env",
      "a/.git/config",
      "x%00.css",
      "%zz",
      "C:%5cwindows",
    ]
  ) {
    assert.equal(safeSegments(path), undefined, path);
  }
});

Deno.test("resolveFile() finds files and directory indexes but not links leading out", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/root/sub`, { recursive: true });
    await Deno.writeTextFile(`${dir}/root/a.txt`, "a");
    await Deno.writeTextFile(`${dir}/root/sub/index.html`, "i");
    await Deno.writeTextFile(`${dir}/outside.txt`, "o");
    await Deno.symlink(`${dir}/outside.txt`, `${dir}/root/out.txt`);
    await Deno.symlink(`${dir}/root/a.txt`, `${dir}/root/in.txt`);
    const root = `${dir}/root`;
    assert.ok((await resolveFile(root, ["a.txt"]))?.endsWith("/root/a.txt"));
    assert.ok((await resolveFile(root, ["sub"]))?.endsWith("/root/sub/index.html"));
    assert.ok((await resolveFile(root, ["in.txt"]))?.endsWith("/root/a.txt"));
    assert.equal(await resolveFile(root, ["out.txt"]), undefined);
    assert.equal(await resolveFile(root, ["missing.txt"]), undefined);
    assert.equal(await resolveFile(`${dir}/nope`, ["a.txt"]), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
