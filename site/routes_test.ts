import assert from "node:assert/strict";
import { matchRoute, ROUTES } from "./routes.ts";

Deno.test("matchRoute() finds pages with or without a trailing slash", () => {
  assert.equal(matchRoute("/")?.route.pattern, "/");
  assert.equal(matchRoute("/compare/")?.route.pattern, "/compare");
  assert.deepEqual(matchRoute("/activations/gelu")?.params, { name: "gelu" });
  assert.equal(matchRoute("/activations/gelu/extra"), undefined);
  assert.equal(matchRoute("/static/styles.css"), undefined);
});

Deno.test("ROUTES lists each concrete path once", () => {
  const paths = ROUTES.flatMap((r) => r.paths());
  assert.equal(new Set(paths).size, paths.length);
  for (const path of paths) assert.ok(matchRoute(path), path);
});
