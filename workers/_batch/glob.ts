/**
 * Shell-style globs over relative paths: `*`, `?`, `[abc]`, `[!abc]`, `{a,b}` and `**` for any
 * number of folders. Private to the package.
 *
 * @module
 */

const MAGIC = /[*?[{]/;

/** Whether `text` has glob syntax in it. */
export function isGlob(text: string): boolean {
  return MAGIC.test(text);
}

/**
 * Splits a glob into the folder to search (its leading segments without glob syntax, `.` if
 * none) and a pattern for the paths relative to that folder.
 */
export function splitGlob(glob: string): { root: string; pattern: RegExp } {
  const segments = glob.split("/");
  let k = 0;
  while (k < segments.length - 1 && !isGlob(segments[k])) k++;
  const head = segments.slice(0, k).join("/");
  const root = head === "" ? (glob.startsWith("/") ? "/" : ".") : head;
  return { root, pattern: globToRegExp(segments.slice(k).join("/")) };
}

/** A RegExp matching whole `/`-separated relative paths; `*` never crosses a `/`. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  const segments = glob.split("/");
  segments.forEach((segment, k) => {
    const last = k === segments.length - 1;
    if (segment === "**") {
      source += last ? ".*" : "(?:[^/]+/)*";
      return;
    }
    source += segmentSource(segment) + (last ? "" : "/");
  });
  return new RegExp(`^${source}$`);
}

function segmentSource(segment: string): string {
  let out = "", braces = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end < 0) {
        out += "\\[";
        continue;
      }
      let body = segment.slice(i + 1, end).replace(/\\/g, "\\\\");
      if (body.startsWith("!")) body = "^" + body.slice(1);
      out += `[${body}]`;
      i = end;
    } else if (c === "{") {
      braces++;
      out += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      out += ")";
    } else if (c === "," && braces > 0) out += "|";
    else out += c.replace(/[.+^$()|\\\]{}]/g, "\\$&");
  }
  return out + ")".repeat(braces);
}
