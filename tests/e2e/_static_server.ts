/**
 * The plainest static file server: a URL path is a file, a folder shows its `index.html`, and
 * anything else gets `404.html`. It stands for "any static server" when checking the export,
 * so it deliberately shares no code with the site's own server.
 */

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript",
  css: "text/css",
  svg: "image/svg+xml",
  json: "application/json",
  map: "application/json",
  woff2: "font/woff2",
  woff: "font/woff",
  ttf: "font/ttf",
  ico: "image/svg+xml",
};

/** Serves `root` on a free loopback port. */
export function serveStatic(root: string): { url: string; close(): Promise<void> } {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    let path = `${root}${decodeURIComponent(new URL(req.url).pathname)}`;
    try {
      if ((await Deno.stat(path)).isDirectory) path = `${path.replace(/\/$/, "")}/index.html`;
      const body = await Deno.readFile(path);
      const type = TYPES[path.split(".").pop() ?? ""] ?? "application/octet-stream";
      return new Response(body, { headers: { "content-type": type } });
    } catch {
      return new Response(await Deno.readFile(`${root}/404.html`), {
        status: 404,
        headers: { "content-type": TYPES.html },
      });
    }
  });
  return { url: `http://127.0.0.1:${server.addr.port}/`, close: () => server.shutdown() };
}
