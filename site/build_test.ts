import assert from "node:assert/strict";
import { ACTIVATIONS } from "@nonlin/core";
import { KATEX_URL_PREFIX } from "./_katex.ts";
import { exportSite } from "./build.ts";

Deno.test("exportSite() writes every page, the 404 page and the assets a static server needs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nonlin-export-test-" });
  try {
    // A stand-in for site/_build, so this test neither needs nor races a real asset build.
    await Deno.mkdir(`${dir}/build/islands`, { recursive: true });
    await Deno.writeTextFile(`${dir}/build/islands/try_it.js`, "export {};");
    await Deno.mkdir(`${dir}/build/api`, { recursive: true });
    await Deno.writeTextFile(`${dir}/build/api/index.html`, "<title>API</title>");
    const summary = await exportSite({
      outDir: `${dir}/dist`,
      assets: false,
      buildDir: `${dir}/build`,
      benchResults: `${dir}/none.json`,
    });
    assert.ok(summary.pages.includes("/"));
    assert.equal(
      summary.pages.filter((p) => p.startsWith("/activations/")).length,
      ACTIVATIONS.length,
    );
    const read = (path: string) => Deno.readTextFile(`${dir}/dist/${path}`);
    assert.match(await read("index.html"), /<h1>nonlin<\/h1>/);
    assert.match(await read("activations/gelu/index.html"), /Gaussian Error Linear Unit/);
    assert.match(await read("404.html"), /Page not found/);
    assert.match(await read("static/styles.css"), /nonlin docs/);
    assert.equal(await read("build/islands/try_it.js"), "export {};");
    // The site's own landing page stands in for the index `deno doc` wrote, as when served.
    assert.match(await read("api/index.html"), /<h1>API reference<\/h1>/);
    assert.match(await read(`${KATEX_URL_PREFIX.slice(1)}katex.min.css`), /\.katex/);
    const fonts = [...Deno.readDirSync(`${dir}/dist${KATEX_URL_PREFIX}fonts`)];
    assert.ok(fonts.some((f) => f.name.endsWith(".woff2")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
