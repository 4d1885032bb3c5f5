/**
 * The API reference's modules: each documented file with the specifier people import it by,
 * read from its package's `deno.json` exports, and the first paragraph of its module doc.
 * Also rewrites `deno doc`'s usage snippets, which import from workspace paths
 * (`"core/mod.ts"`), to those specifiers (`"@nonlin/core"`).
 */

import { ROOT_DIR } from "./_paths.ts";

/** One documented module. */
export interface ApiModule {
  /** Its path from the workspace root: `core/mod.ts`. */
  file: string;
  /** The specifier it is imported by: `@nonlin/core`, `@nonlin/core/testing`. */
  specifier: string;
  /** The first paragraph of its module doc, as plain text. */
  summary: string;
  /** Its page in the reference. */
  url: string;
}

/** The specifiers of every file a workspace package exports: `core/mod.ts` → `@nonlin/core`. */
export async function exportSpecifiers(packages: readonly string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const dir of packages) {
    let config: { name?: string; exports?: string | Record<string, string> };
    try {
      config = JSON.parse(await Deno.readTextFile(`${ROOT_DIR}/${dir}/deno.json`));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    if (!config.name) continue;
    const exports = typeof config.exports === "string"
      ? { ".": config.exports }
      : config.exports ?? {};
    for (const [key, target] of Object.entries(exports)) {
      const file = `${dir}/${target.replace(/^\.\//, "")}`;
      map.set(file, key === "." ? config.name : `${config.name}/${key.replace(/^\.\//, "")}`);
    }
  }
  return map;
}

/** The first paragraph of a file's leading doc comment, without its `*` margins. */
export function moduleSummary(source: string): string {
  const match = source.match(/^\s*\/\*\*([\s\S]*?)\*\//);
  if (!match) return "";
  const lines = match[1].split("\n").map((line) => line.replace(/^\s*\* ?/, "").trimEnd());
  const paragraph: string[] = [];
  for (const line of lines) {
    if (line.trim() === "") {
      if (paragraph.length) break;
      continue;
    }
    paragraph.push(line.trim());
  }
  return paragraph.join(" ").replace(/`/g, "");
}

/** The packages whose files the reference documents. */
export const PACKAGES: readonly string[] = ["core", "workers"];

/** Describes each documented file. */
export async function apiModules(files: readonly string[]): Promise<ApiModule[]> {
  const specifiers = await exportSpecifiers(PACKAGES);
  return await Promise.all(files.map(async (file) => ({
    file,
    specifier: specifiers.get(file) ?? file,
    summary: moduleSummary(await Deno.readTextFile(`${ROOT_DIR}/${file}`)),
    url: `/api/${file}/index.html`,
  })));
}

/**
 * Replaces workspace paths in import statements of `deno doc`'s HTML (`from "core/mod.ts"`,
 * HTML-escaped) with their specifiers.
 */
export function rewriteImports(html: string, specifiers: ReadonlyMap<string, string>): string {
  let out = html;
  for (const [file, specifier] of specifiers) {
    out = out.replaceAll(`from &quot;${file}&quot;`, `from &quot;${specifier}&quot;`)
      .replaceAll(`from "${file}"`, `from "${specifier}"`);
  }
  return out;
}

/** The symbol pages of an activation, by file name, with the page each should link back to. */
function activationPages(
  activations: readonly { name: string; className: string; title: string }[],
): Map<string, { href: string; title: string }> {
  const pages = new Map<string, { href: string; title: string }>();
  for (const a of activations) {
    const target = { href: `/activations/${a.name}`, title: `${a.className}: ${a.title}` };
    pages.set(`${a.name}.html`, target);
    pages.set(`${a.className}.html`, target);
  }
  return pages;
}

/**
 * Finishes `deno doc`'s output in `dir`: imports name the published specifiers, and each
 * activation's function and class pages link back to its page on the site (beside the usage
 * box, so the reference and the guide point at each other).
 */
export async function finishApiDocs(
  dir: string,
  activations: readonly { name: string; className: string; title: string }[],
): Promise<void> {
  const specifiers = await exportSpecifiers(PACKAGES);
  const backLinks = activationPages(activations);
  const walk = async (folder: string, symbols: boolean): Promise<void> => {
    for await (const entry of Deno.readDir(folder)) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory) {
        await walk(path, entry.name === "~" && folder.endsWith("/core/mod.ts"));
        continue;
      }
      if (!entry.name.endsWith(".html")) continue;
      const html = await Deno.readTextFile(path);
      let out = rewriteImports(html, specifiers);
      const back = symbols ? backLinks.get(entry.name) : undefined;
      if (back) {
        out = out.replace(
          '<div class="usageContent">',
          `<div class="usageContent"><h3>Guide</h3><p><a href="${back.href}">${
            escapeHtml(back.title)
          }</a>: plot, formula, shape, try it.</p></div><div class="usageContent">`,
        );
      }
      if (out !== html) await Deno.writeTextFile(path, out);
    }
  };
  await walk(dir, false);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
