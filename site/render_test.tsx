import assert from "node:assert/strict";
import { Island } from "./components/island.tsx";
import { renderPage } from "./render.tsx";
import { renderToString } from "preact-render-to-string";

Deno.test("renderPage() loads no script for a page without islands", () => {
  const html = renderPage({ title: "T", description: "D", body: <p>plain</p> }, "/x");
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<title>T · nonlin<\/title>/);
  assert.doesNotMatch(html, /<script/);
  assert.doesNotMatch(html, /katex/);
});

Deno.test("renderPage() loads each island's bundle once and serialises its props safely", () => {
  const html = renderPage({
    title: "T",
    description: "D",
    body: (
      <>
        <Island name="try_it" props={{ name: "relu", input: "</script><b>1" }} />
        <Island name="try_it" props={{ name: "sigmoid" }} />
      </>
    ),
  }, "/x");
  assert.equal(html.split(`src="/build/islands/try_it.js"`).length, 2);
  assert.match(html, /<script type="application\/json" id="island-0">/);
  assert.ok(html.includes("\\u003c/script>\\u003cb>1"));
  assert.ok(!html.includes("</script><b>1"));
  assert.match(html, /data-island="try_it" data-props="island-1"/);
});

Deno.test("renderPage() marks the current navigation entry", () => {
  const html = renderPage({ title: "T", description: "D", body: <p /> }, "/compare");
  assert.match(html, /<a href="\/compare" aria-current="page">/);
  assert.doesNotMatch(html, /<a href="\/softmax" aria-current/);
});

Deno.test("Island refuses to render outside a page", () => {
  assert.throws(
    () => renderToString(<Island name="try_it" props={{ name: "relu" }} />),
    /outside a page/,
  );
});
