/**
 * Small pieces of HTTP the handler needs: the request's own path (never anything the `Host`
 * header says), entity-tag comparison and content negotiation for gzip.
 */

/**
 * A `Host` (or absolute-form authority) the site accepts: a DNS name or IPv4 address, or a
 * bracketed IPv6 address, with an optional port. Anything else (spaces, `/`, `?`, `#`, `@`,
 * unbalanced brackets) could change how the request's URL parses, so it is refused.
 */
const HOST = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{0,5}))?$/;

/**
 * Whether `host` is a well-formed `Host` header value: a name or address and an optional port
 * in [0, 65535]. The empty value is allowed (RFC 9112 §3.2: a target without authority).
 *
 * @example Usage
 * ```ts
 * import { isValidHost } from "./_http.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isValidHost("127.0.0.1:8000"), true);
 * assert.equal(isValidHost("a b"), false);
 * assert.equal(isValidHost("a:99999"), false);
 * ```
 */
export function isValidHost(host: string): boolean {
  if (host === "") return true;
  const match = HOST.exec(host);
  if (!match) return false;
  if (match[1] && Number(match[1]) > 65535) return false;
  // What the pattern lets through must still be a host the URL standard accepts
  // (`[1:2]` and `1.2.3.999` are not).
  return URL.canParse(`http://${host}/`);
}

/**
 * The URL path of a request, from its request target alone, or `undefined` when the request is
 * malformed: a bad `Host` header, or a target with a fragment.
 *
 * `Request.url` is the authority (the `Host` header's value, unchecked) glued to the target, so
 * a `Host` like `example.com/static/x.css?` would otherwise move the path. The `Host` header is
 * checked, the authority cut off, and the rest is parsed against a fixed origin, so routing sees
 * exactly the path the client asked for, dot segments resolved as a browser would.
 *
 * @example Usage
 * ```ts
 * import { requestPath } from "./_http.ts";
 * import assert from "node:assert/strict";
 * assert.equal(requestPath(new Request("http://localhost/a/./b?q")), "/a/b");
 * ```
 */
export function requestPath(request: Request): string | undefined {
  const host = request.headers.get("host");
  if (host !== null && !isValidHost(host)) return undefined;
  const url = request.url;
  const start = url.indexOf("://");
  if (start < 0) return undefined;
  // The authority is the checked Host, the absolute-form target's own (ignored: only its path
  // is used) or, behind the front's Unix socket, the socket's encoded path.
  let end = start + 3;
  while (end < url.length && !"/?#".includes(url[end])) end++;
  const target = url.slice(end);
  // A request target never carries a fragment (RFC 9112 §3.2).
  if (target.includes("#")) return undefined;
  try {
    // Concatenated, not resolved: a target of `//x/y` must stay a path, not become a host.
    return new URL(`http://site.invalid${target.startsWith("/") ? "" : "/"}${target}`).pathname;
  } catch {
    return undefined;
  }
}

/**
 * Whether an `If-None-Match` header matches any of `etags`, by weak comparison
 * (RFC 9110 §13.1.2): `W/` prefixes are ignored and `*` matches anything.
 *
 * @example Usage
 * ```ts
 * import { etagMatches } from "./_http.ts";
 * import assert from "node:assert/strict";
 * assert.equal(etagMatches('"a", W/"b"', ['"b"']), true);
 * assert.equal(etagMatches('"a"', ['"b"']), false);
 * ```
 */
export function etagMatches(ifNoneMatch: string | null, etags: readonly string[]): boolean {
  if (ifNoneMatch === null) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = new Set(etags.map(opaque));
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || wanted.has(opaque(tag)));
}

/**
 * Whether an `Accept-Encoding` header admits gzip: named, or covered by `*`, with a non-zero
 * weight.
 *
 * @example Usage
 * ```ts
 * import { acceptsGzip } from "./_http.ts";
 * import assert from "node:assert/strict";
 * assert.equal(acceptsGzip("gzip, deflate, br"), true);
 * assert.equal(acceptsGzip("gzip;q=0, br"), false);
 * ```
 */
export function acceptsGzip(acceptEncoding: string | null): boolean {
  if (acceptEncoding === null) return false;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const part of acceptEncoding.split(",")) {
    const [name, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (name === "gzip" || name === "x-gzip") gzip = weight;
    else if (name === "*") any = weight;
  }
  const weight = gzip ?? any ?? 0;
  return weight > 0;
}
