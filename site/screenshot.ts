/**
 * Takes the README's screenshot of the docs site: the GELU page, whole, at a desktop width,
 * in headless Chromium, written to `docs/site-gelu.png`.
 *
 * ```sh
 * deno run -A site/screenshot.ts [--out=docs/site-gelu.png] [--path=/activations/gelu]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { ROOT_DIR } from "./_paths.ts";
import { CHROMIUM_PATH, hasChromium, launchBrowser, startSite } from "./testing.ts";

/** Options of {@linkcode takeScreenshot}. */
export interface ScreenshotOptions {
  /** The page to photograph. @default {"/activations/gelu"} */
  path?: string;
  /** Where to write the PNG. @default {"docs/site-gelu.png"} */
  out?: string;
  /** Viewport width in CSS pixels. @default {1280} */
  width?: number;
}

/** Serves the site, photographs one page whole once its islands have hydrated, and stops. */
export async function takeScreenshot(options: ScreenshotOptions = {}): Promise<string> {
  if (!hasChromium()) {
    throw new Error(`Cannot take the screenshot: no Chromium at ${CHROMIUM_PATH}`);
  }
  const path = options.path ?? "/activations/gelu";
  const out = options.out ?? `${ROOT_DIR}/docs/site-gelu.png`;
  const site = await startSite({ build: true });
  const browser = await launchBrowser();
  try {
    const page = await browser.browser.newPage();
    await page.setViewport({ width: options.width ?? 1280, height: 900 });
    // Light theme whatever the machine prefers, so the image matches the README's page.
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
    await page.goto(new URL(path.replace(/^\//, ""), site.url).href, { waitUntil: "load" });
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLElement>("[data-island]")].every((e) =>
        e.dataset.hydrated === "true"
      )
    );
    await page.screenshot({ path: out, fullPage: true });
    return out;
  } finally {
    await browser.close();
    await site.close();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { out: { type: "string" }, path: { type: "string" } },
  });
  const written = await takeScreenshot({ out: values.out, path: values.path });
  console.log(`Wrote ${written}`);
}
