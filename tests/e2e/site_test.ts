/**
 * End-to-end tests of the docs site in real headless Chromium: every page renders without
 * console errors, the islands respond to their controls, and a screenshot of each page is
 * saved under `test-output/screenshots/`.
 *
 * The browser is found through `CHROMIUM_PATH` (or `PUPPETEER_EXECUTABLE_PATH`, `CHROME_PATH`)
 * and the usual install paths. Without one they are skipped with a note, except under CI
 * (`CI` set), where a missing browser is a failure: a run without it must not read as passed.
 */

import assert from "node:assert/strict";
import { ACTIVATIONS } from "@nonlin/core";
import {
  CHROMIUM_ENV,
  CHROMIUM_PATH,
  hasChromium,
  launchBrowser,
  type Page,
  startSite,
} from "../../site/testing.ts";
import { exportSite } from "../../site/build.ts";
import { serveStatic } from "./_static_server.ts";

const chromium = hasChromium();
const missing = `no Chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or ` +
  `name it in ${CHROMIUM_ENV.join(", ")}`;
if (!chromium && Deno.env.get("CI")) {
  Deno.test("a browser for the end-to-end tests is installed (required under CI)", () => {
    throw new Error(`Cannot run the browser tests: ${missing}`);
  });
} else if (!chromium) {
  console.log(`Skipping the browser tests: ${missing}`);
}

const SCREENSHOTS = new URL("../../test-output/screenshots/", import.meta.url);

const PAGES: readonly string[] = [
  "/",
  ...ACTIVATIONS.map((a) => `/activations/${a.name}`),
  "/compare",
  "/softmax",
  "/parallel",
  "/benchmarks",
  "/systems",
  "/no-such-page",
];

const DESKTOP = { width: 1280, height: 900 };
/** Pages also photographed at a phone's width. */
const MOBILE: readonly string[] = ["/", "/activations/gelu", "/softmax", "/systems"];

/** Waits until every island on the page has hydrated. */
async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>("[data-island]")].every((e) =>
      e.dataset.hydrated === "true"
    )
  );
}

/** The markup of the first plot inside `selector`. */
function plotMarkup(page: Page, selector: string): Promise<string> {
  return page.$eval(`${selector} .plot`, (e) => e.innerHTML);
}

Deno.test({
  name: "site works in headless Chromium",
  ignore: !chromium,
  async fn(t) {
    const site = await startSite();
    const browser = await launchBrowser();
    try {
      const page = await browser.browser.newPage();
      const problems: string[] = [];
      let expect404 = false;
      page.on("console", (m) => {
        // Chromium logs the 404 page's own status as a console error: expected there only.
        if (m.type() !== "error") return;
        if (expect404 && m.text().includes("status of 404")) return;
        problems.push(`${page.url()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(String(e)));
      await Deno.mkdir(SCREENSHOTS, { recursive: true });
      await page.setViewport(DESKTOP);

      await t.step("every page renders without console errors", async () => {
        for (const path of PAGES) {
          expect404 = path === "/no-such-page";
          // "load" waits for the module scripts too; hydrated() then waits for the islands.
          const response = await page.goto(new URL(path.slice(1), site.url).href, {
            waitUntil: "load",
          });
          assert.equal(response?.status(), path === "/no-such-page" ? 404 : 200, path);
          await hydrated(page);
          const name = path === "/" ? "home" : path.slice(1).replaceAll("/", "-");
          await page.screenshot({
            path: new URL(`${name}.png`, SCREENSHOTS).pathname,
            fullPage: true,
          });
          if (MOBILE.includes(path)) {
            await page.setViewport({ width: 390, height: 844, isMobile: true });
            await page.screenshot({
              path: new URL(`${name}-phone.png`, SCREENSHOTS).pathname,
              fullPage: true,
            });
            await page.setViewport(DESKTOP);
          }
          assert.deepEqual(problems, [], `console errors on ${path}`);
        }
        expect404 = false;
      });

      await t.step("every activation page links existing API reference pages", async () => {
        for (const info of ACTIVATIONS) {
          const html = await (await fetch(new URL(`activations/${info.name}`, site.url))).text();
          const links = [...html.matchAll(/href="(\/api\/[^"]*)"/g)].map((m) => m[1]);
          assert.ok(links.length >= 2, info.name);
          for (const link of new Set(links)) {
            const response = await fetch(new URL(link.slice(1), site.url));
            await response.body?.cancel();
            assert.equal(response.status, 200, link);
          }
        }
      });

      await t.step("moving the range control changes the plot", async () => {
        await page.goto(new URL("activations/gelu", site.url).href, { waitUntil: "networkidle0" });
        await hydrated(page);
        const before = await plotMarkup(page, ".explorer");
        await page.focus("#fx-gelu-range");
        await page.keyboard.press("ArrowRight");
        await page.waitForFunction(
          (old) => document.querySelector(".explorer .plot")?.innerHTML !== old,
          {},
          before,
        );
        assert.match(await page.$eval("label[for=fx-gelu-range]", (e) => e.textContent ?? ""), /8/);
      });

      await t.step(
        "option fields keep what is typed: 0.02 and -0.5 stay, bad text is named",
        async () => {
          await page.goto(new URL("activations/leakyRelu", site.url).href, {
            waitUntil: "networkidle0",
          });
          await hydrated(page);
          const field = "#try-leakyRelu-negativeSlope";
          // The field shows the real default before anything is typed.
          assert.equal(await page.$eval(field, (e) => (e as HTMLInputElement).value), "0.01");
          const input = "#try-leakyRelu-input";
          await page.$eval(input, (e) => ((e as HTMLInputElement).value = ""));
          await page.type(input, "-100");
          for (const [typed, expected] of [["0.02", "-2"], ["-0.5", "50"]]) {
            await page.$eval(field, (e) => ((e as HTMLInputElement).value = ""));
            await page.type(field, typed);
            assert.equal(await page.$eval(field, (e) => (e as HTMLInputElement).value), typed);
            await page.waitForFunction(
              (want) => document.querySelector("[data-testid=try-output]")?.textContent === want,
              {},
              expected,
            );
          }
          await page.$eval(field, (e) => ((e as HTMLInputElement).value = ""));
          await page.type(field, "abc");
          await page.keyboard.press("Tab");
          await page.waitForSelector(`${field}-message`);
          assert.equal(await page.$eval(`${field}-message`, (e) => e.textContent), "Not a number");
          assert.equal(await page.$eval(field, (e) => e.getAttribute("aria-invalid")), "true");
        },
      );

      await t.step("the try-it box computes the right value and explains bad input", async () => {
        await page.goto(new URL("activations/sigmoid", site.url).href, {
          waitUntil: "networkidle0",
        });
        await hydrated(page);
        const input = "#try-sigmoid-input";
        await page.$eval(input, (e) => ((e as HTMLInputElement).value = ""));
        await page.type(input, "0, 1000");
        await page.waitForFunction(() =>
          document.querySelectorAll("[data-testid=try-output]").length === 2
        );
        const outputs = await page.$$eval(
          "[data-testid=try-output]",
          (es) => es.map((e) => e.textContent),
        );
        assert.deepEqual(outputs, ["0.5", "1"]);

        await page.type(input, ", banana");
        await page.waitForSelector(".try-it .error");
        const message = await page.$eval(".try-it .error", (e) => e.textContent ?? "");
        assert.match(message, /Cannot read "banana"/);
        assert.doesNotMatch(message, /at \w+ \(/);
        assert.deepEqual(problems, []);
      });

      await t.step("the softmax temperature slider changes the bars", async () => {
        await page.goto(new URL("softmax", site.url).href, { waitUntil: "networkidle0" });
        await hydrated(page);
        const bars = () =>
          page.$$eval(".softmax .plot rect", (rs) => rs.map((r) => r.getAttribute("height")));
        const before = await bars();
        const probabilities = await page.$$eval(
          "[data-testid=softmax-prob]",
          (es) => es.map((e) => Number(e.textContent)),
        );
        assert.ok(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-5);
        await page.focus("#softmax-temperature");
        await page.keyboard.press("ArrowRight");
        await page.waitForFunction(
          (old) =>
            JSON.stringify(
              [...document.querySelectorAll(".softmax .plot rect")].map((r) =>
                r.getAttribute("height")
              ),
            ) !== old,
          {},
          JSON.stringify(before),
        );
        assert.notDeepEqual(await bars(), before);
      });

      await t.step("the parallel demo completes with identical results", async () => {
        await page.goto(new URL("parallel", site.url).href, { waitUntil: "networkidle0" });
        await hydrated(page);
        await page.focus("#parallel-size");
        await page.keyboard.press("Home");
        await page.click("button.primary");
        await page.waitForSelector("[data-testid=parallel-result]", { timeout: 120_000 });
        const text = await page.$eval("[data-testid=parallel-result]", (e) => e.textContent ?? "");
        assert.match(text, /Speedup/);
        assert.match(text, /0 \(identical\)/);
        assert.match(text, /shared/);
        assert.deepEqual(problems, []);
      });

      await t.step("the static export shows the same pages on a plain static server", async () => {
        const dir = await Deno.makeTempDir({ prefix: "nonlin-export-" });
        // startSite() has just built the assets; the export copies them as they are.
        await exportSite({ outDir: dir, assets: false });
        const plain = serveStatic(dir);
        try {
          for (const path of ["/", "/activations/sigmoid", "/softmax", "/systems", "/api/"]) {
            const live = await (await fetch(new URL(path.slice(1), site.url))).text();
            const exported = await (await fetch(new URL(path.slice(1), plain.url))).text();
            assert.equal(exported, live, `${path} is the same file in the export`);
            const response = await page.goto(new URL(path.slice(1), plain.url).href, {
              waitUntil: "networkidle0",
            });
            assert.equal(response?.status(), 200, path);
            await hydrated(page);
          }
          await page.goto(new URL("activations/sigmoid", plain.url).href, {
            waitUntil: "networkidle0",
          });
          await hydrated(page);
          await page.$eval("#try-sigmoid-input", (e) => ((e as HTMLInputElement).value = ""));
          await page.type("#try-sigmoid-input", "0");
          await page.waitForFunction(() =>
            document.querySelector("[data-testid=try-output]")?.textContent === "0.5"
          );
          assert.deepEqual(problems, []);
        } finally {
          await plain.close();
          await Deno.remove(dir, { recursive: true });
        }
      });
    } finally {
      await browser.close();
      await site.close();
    }
  },
});
