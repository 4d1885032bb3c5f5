import assert from "node:assert/strict";
import { contentType } from "./_content_type.ts";

Deno.test("contentType() names every kind of file the site serves", () => {
  assert.equal(contentType("a/b.html"), "text/html; charset=utf-8");
  assert.equal(contentType("x.JS"), "text/javascript; charset=utf-8");
  assert.equal(contentType("fonts/KaTeX_Main-Regular.woff2"), "font/woff2");
  assert.equal(contentType("favicon.svg"), "image/svg+xml");
  assert.equal(contentType("chunk.js.map"), "application/json; charset=utf-8");
});

Deno.test("contentType() falls back to opaque bytes for unknown or missing extensions", () => {
  assert.equal(contentType("README"), "application/octet-stream");
  assert.equal(contentType("a.b/README"), "application/octet-stream");
  assert.equal(contentType("x.exe"), "application/octet-stream");
});
