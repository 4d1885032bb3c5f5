/**
 * The published packages' module graphs have no cycles of value imports (issue 13: the registry
 * and its family files used to import each other, so which one finished evaluating first decided
 * what the other saw). Type-only imports are left out: they vanish at run time, and a scheduler
 * and its tasks may well name each other's types. Read from `deno info --json`, which lists a
 * value import as `code` and a type-only one as `type` only.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

/** Entry points of the published packages, from their deno.json exports. */
function entryPoints(): string[] {
  const entries: string[] = [];
  for (const pkg of ["core", "workers"]) {
    const config = JSON.parse(Deno.readTextFileSync(new URL(`${pkg}/deno.json`, ROOT)));
    for (const file of Object.values(config.exports as Record<string, string>)) {
      entries.push(new URL(`${pkg}/${file.slice(2)}`, ROOT).pathname);
    }
  }
  return entries;
}

interface Info {
  modules: {
    specifier: string;
    dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
  }[];
}

/** Local module → the local modules it imports. */
async function graph(entries: string[]): Promise<Map<string, string[]>> {
  const edges = new Map<string, string[]>();
  for (const entry of entries) {
    const { stdout, code } = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: ROOT,
      stderr: "null",
    }).output();
    assert.equal(code, 0, `deno info ${entry}`);
    const info: Info = JSON.parse(new TextDecoder().decode(stdout));
    for (const m of info.modules) {
      if (!m.specifier.startsWith("file:") || edges.has(m.specifier)) continue;
      const deps = (m.dependencies ?? []).map((d) => d.code?.specifier)
        .filter((s): s is string => s !== undefined && s.startsWith("file:"));
      edges.set(m.specifier, [...new Set(deps)]);
    }
  }
  return edges;
}

/** Every cycle found by a depth-first walk, as the chain of files. */
function cycles(edges: Map<string, string[]>): string[][] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    state.set(v, "open");
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (state.get(w) === "open") found.push([...stack.slice(stack.indexOf(w)), w]);
      else if (!state.has(w)) visit(w);
    }
    stack.pop();
    state.set(v, "done");
  };
  for (const v of edges.keys()) if (!state.has(v)) visit(v);
  return found;
}

Deno.test("core and workers have no cycles of value imports", async () => {
  const edges = await graph(entryPoints());
  assert.ok(edges.size > 50, `${edges.size} modules`);
  const short = (s: string) => s.slice(ROOT.href.length);
  assert.deepEqual(cycles(edges).map((c) => c.map(short).join(" → ")), []);
});
