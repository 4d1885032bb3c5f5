/**
 * Serving files from a fixed directory without ever leaving it.
 *
 * Every request path is decoded segment by segment and refused if a segment could climb
 * (`..`), name a hidden file, smuggle a separator (`%2f`, `\`) or a NUL, or be empty (`//` would
 * let an absolute path through). The resolved real path must still lie inside the root, so a
 * symbolic link cannot lead out either.
 */

import { contentType } from "./_content_type.ts";
import { etagMatches } from "./_http.ts";

/** How long browsers may keep a file. */
export type CachePolicy = "revalidate" | "immutable";

/** Options of {@linkcode serveFile}. */
export interface ServeFileOptions {
  /** `immutable` for paths that change name when their content changes. @default {"revalidate"} */
  cache?: CachePolicy;
  /** Answer a HEAD request: headers only. @default {false} */
  head?: boolean;
  /** The request's `If-None-Match` header, to answer 304 when unchanged. */
  ifNoneMatch?: string | null;
}

/**
 * Splits a URL path below a mount point into safe, decoded segments.
 *
 * Returns `undefined` for any path that is not a plain relative file path.
 *
 * @example Usage
 * ```ts
 * import { safeSegments } from "./_static.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(safeSegments("css/site.css"), ["css", "site.css"]);
 * assert.equal(safeSegments("..%2fdeno.json"), undefined);
 * ```
 */
export function safeSegments(path: string): string[] | undefined {
  if (path === "") return undefined;
  const segments: string[] = [];
  for (const raw of path.split("/")) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (
      segment === "" || segment.startsWith(".") || segment.includes("/") ||
      segment.includes("\\") || segment.includes("\0") || segment.includes(":")
    ) {
      return undefined;
    }
    segments.push(segment);
  }
  return segments;
}

/**
 * Finds the file for `segments` inside `root`, or `undefined` if there is none or it would lie
 * outside `root` once links are followed. A directory resolves to its `index.html`.
 */
export async function resolveFile(
  root: string,
  segments: readonly string[],
): Promise<string | undefined> {
  let realRoot: string;
  try {
    realRoot = await Deno.realPath(root);
  } catch {
    return undefined;
  }
  let candidate = [realRoot, ...segments].join("/");
  try {
    let info = await Deno.stat(candidate);
    if (info.isDirectory) {
      candidate += "/index.html";
      info = await Deno.stat(candidate);
    }
    if (!info.isFile) return undefined;
    const real = await Deno.realPath(candidate);
    return real.startsWith(realRoot + "/") ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Responds with the file at `path` (already resolved by {@linkcode resolveFile}). */
export async function serveFile(path: string, options: ServeFileOptions = {}): Promise<Response> {
  const info = await Deno.stat(path);
  // Size and modification time change whenever the content does, which is all a validator needs.
  const etag = `W/"${info.size.toString(36)}-${(info.mtime?.getTime() ?? 0).toString(36)}"`;
  const headers = new Headers({
    "content-type": contentType(path),
    "cache-control": options.cache === "immutable"
      ? "public, max-age=31536000, immutable"
      : "public, max-age=0, must-revalidate",
    etag,
  });
  if (etagMatches(options.ifNoneMatch ?? null, [etag])) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(info.size));
  if (options.head) return new Response(null, { status: 200, headers });
  const file = await Deno.open(path, { read: true });
  return new Response(file.readable, { status: 200, headers });
}
