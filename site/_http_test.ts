import assert from "node:assert/strict";
import { acceptsGzip, etagMatches, isValidHost, requestPath } from "./_http.ts";

Deno.test("isValidHost() accepts names, addresses and ports", () => {
  for (
    const host of [
      "",
      "localhost",
      "localhost:8000",
      "127.0.0.1:80",
      "[::1]",
      "[::1]:8000",
      "a_b.c",
    ]
  ) {
    assert.equal(isValidHost(host), true, host);
  }
});

Deno.test("isValidHost() refuses what could move the path or does not parse", () => {
  for (
    const host of [
      "a b",
      "[::1",
      "::1",
      "a:99999",
      "a:1:2",
      "a/b",
      "127.0.0.1:8765/static/styles.css?",
      "a?b",
      "a#b",
      "u@a",
      "a\\b",
      "a\tb",
      "é",
      "[1:2]",
      "1.2.3.999",
    ]
  ) {
    assert.equal(isValidHost(host), false, host);
  }
});

/** A request whose `url` is exactly `url`, as `Deno.serve` builds it from the wire. */
function wire(url: string, host: string | null): Request {
  const request = new Request("http://placeholder/", host === null ? {} : { headers: { host } });
  Object.defineProperty(request, "url", { value: url });
  return request;
}

Deno.test("requestPath() takes the path from the request target only", () => {
  assert.equal(
    requestPath(wire("http://localhost:8000/compare/?x=1", "localhost:8000")),
    "/compare/",
  );
  assert.equal(requestPath(wire("http+unix://%2Ftmp%2Fx%2Esock/x", null)), "/x");
  // Absolute form: the target's own authority is cut off, whatever Host says.
  assert.equal(requestPath(wire("http://evil/static/a.css", "localhost")), "/static/a.css");
  assert.equal(requestPath(wire("http://a:99999/x?q", "a")), "/x");
  assert.equal(requestPath(wire("http://a?q", "a")), "/");
  // `//x` is a path, not a host.
  assert.equal(requestPath(wire("http://a//x/y", "a")), "//x/y");
  assert.equal(requestPath(wire("http://a/static/../x", "a")), "/x");
});

Deno.test("requestPath() refuses a bad Host and fragments", () => {
  assert.equal(requestPath(wire("http://a b/x", "a b")), undefined);
  assert.equal(
    requestPath(
      wire("http://127.0.0.1:8765/static/styles.css?/x", "127.0.0.1:8765/static/styles.css?"),
    ),
    undefined,
  );
  assert.equal(requestPath(wire("http://a#b/x", "a#b")), undefined);
  assert.equal(requestPath(wire("http://a/x#frag", "a")), undefined);
  assert.equal(requestPath(wire("no-scheme", "a")), undefined);
});

Deno.test("etagMatches() compares weakly and honours *", () => {
  assert.equal(etagMatches(null, ['"a"']), false);
  assert.equal(etagMatches('"a"', ['"a"']), true);
  assert.equal(etagMatches('W/"a"', ['"a"']), true);
  assert.equal(etagMatches('"x", "a"', ['"a"']), true);
  assert.equal(etagMatches("*", ['"a"']), true);
  assert.equal(etagMatches('"b"', ['"a"']), false);
});

Deno.test("acceptsGzip() follows names, * and weights", () => {
  assert.equal(acceptsGzip(null), false);
  assert.equal(acceptsGzip(""), false);
  assert.equal(acceptsGzip("br"), false);
  assert.equal(acceptsGzip("GZIP"), true);
  assert.equal(acceptsGzip("*"), true);
  assert.equal(acceptsGzip("*;q=0"), false);
  assert.equal(acceptsGzip("gzip;q=0.5"), true);
  assert.equal(acceptsGzip("gzip;q=0, *"), false);
  assert.equal(acceptsGzip("identity"), false);
});
