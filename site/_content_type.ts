/**
 * Content types by file extension for everything the site serves.
 *
 * Kept as a closed table rather than a MIME database: the site ships a known set of file kinds,
 * and an unknown one is served as opaque bytes instead of being guessed.
 */

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
};

/** Returns the `Content-Type` for a file path, `application/octet-stream` when unknown. */
export function contentType(path: string): string {
  const dot = path.lastIndexOf(".");
  const slash = path.lastIndexOf("/");
  if (dot <= slash) return "application/octet-stream";
  return TYPES[path.slice(dot).toLowerCase()] ?? "application/octet-stream";
}
