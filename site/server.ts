/**
 * The site's HTTP handler: pages from the route table, files from `static/` and the generated
 * assets, and a 404 page for anything else. Nothing outside those folders is reachable.
 *
 * @module
 */

import { BENCH_RESULTS, BUILD_DIR, STATIC_DIR, VERIFY_RESULTS } from "./_paths.ts";
import { KATEX_URL_PREFIX, katexDistDir } from "./_katex.ts";
import { resolveFile, safeSegments, serveFile } from "./_static.ts";
import { renderPage } from "./render.tsx";
import { matchRoute, type SiteContext } from "./routes.ts";
import { notFoundPage } from "./routes/_404.tsx";

/** Options of {@linkcode createHandler}. */
export interface HandlerOptions {
  /** Folder served under `/static/`. @default {"site/static"} */
  staticDir?: string;
  /** Folder of generated assets: `islands/` under `/build/islands/`, `api/` under `/api/`. @default {"site/_build"} */
  buildDir?: string;
  /** Benchmark results file. @default {"bench/results/latest.json"} */
  benchResults?: string;
  /** Path of the accuracy verification's results (default `bench/results/verify.json`). */
  verifyResults?: string;
}

/** A request handler as `Deno.serve` takes it. */
export type Handler = (request: Request) => Promise<Response>;

/**
 * Headers on every response. Cross-origin isolation (COOP and COEP) lets the parallel demo share
 * memory between workers; the site loads nothing from other origins, so it costs nothing.
 */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/** File names the bundler derives from content, safe to cache forever. */
const HASHED = /^chunk-[A-Z0-9]+\.js(\.map)?$/;

/**
 * Creates the site's request handler.
 *
 * @example Usage
 * ```ts ignore
 * import { createHandler } from "./server.ts";
 * Deno.serve(createHandler());
 * ```
 */
export function createHandler(options: HandlerOptions = {}): Handler {
  const staticDir = options.staticDir ?? STATIC_DIR;
  const buildDir = options.buildDir ?? BUILD_DIR;
  const context: SiteContext = {
    benchResults: options.benchResults ?? BENCH_RESULTS,
    verifyResults: options.verifyResults ?? VERIFY_RESULTS,
  };

  const mounts: { prefix: string; dir: () => string; immutable: (name: string) => boolean }[] = [
    { prefix: "/static/", dir: () => staticDir, immutable: () => false },
    { prefix: "/build/", dir: () => buildDir, immutable: (name) => HASHED.test(name) },
    { prefix: "/api/", dir: () => `${buildDir}/api`, immutable: () => false },
    // The version is part of the prefix, so the files under it never change.
    { prefix: KATEX_URL_PREFIX, dir: katexDistDir, immutable: () => true },
  ];

  async function handle(request: Request): Promise<Response> {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("Method not allowed\n", {
        status: 405,
        headers: { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" },
      });
    }
    const head = request.method === "HEAD";
    const { pathname } = new URL(request.url);

    if (pathname === "/api") return redirect("/api/");
    // Browsers ask for /favicon.ico on pages that name no icon (the API reference's).
    if (pathname === "/favicon.ico") {
      const file = await resolveFile(staticDir, ["favicon.svg"]);
      if (!file) return notFound(head);
      const response = await serveFile(file, { head });
      response.headers.set("content-type", "image/svg+xml");
      return response;
    }
    for (const mount of mounts) {
      if (!pathname.startsWith(mount.prefix)) continue;
      const rest = pathname.slice(mount.prefix.length);
      // `/api/` itself is the index of the generated docs.
      const segments = rest === "" && mount.prefix === "/api/" ? [] : safeSegments(rest);
      const file = segments && (await resolveFile(mount.dir(), segments));
      if (!file) return notFound(head);
      return serveFile(file, {
        head,
        ifNoneMatch: request.headers.get("if-none-match"),
        cache: mount.immutable(segments.at(-1) ?? "") ? "immutable" : "revalidate",
      });
    }

    const match = matchRoute(pathname);
    if (!match) return notFound(head);
    const page = await match.route.render(match.params, context);
    if (!page) return notFound(head);
    return html(renderPage(page, pathname), page.status ?? 200, head);
  }

  return async (request) => {
    let response: Response;
    try {
      response = await handle(request);
    } catch (error) {
      console.error(error);
      response = html(
        "<!DOCTYPE html><title>Server error</title><h1>Server error</h1><p>The page failed to render.</p>",
        500,
        request.method === "HEAD",
      );
    }
    for (const [key, value] of Object.entries(COMMON_HEADERS)) response.headers.set(key, value);
    return response;
  };
}

function html(body: string, status: number, head: boolean): Response {
  return new Response(head ? null : body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
  });
}

function redirect(location: string): Response {
  return new Response(null, { status: 301, headers: { location, "cache-control": "no-cache" } });
}

function notFound(head: boolean): Response {
  return html(renderPage(notFoundPage(), "/404"), 404, head);
}
