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
  runAxe,
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
  "/activations",
  ...ACTIVATIONS.map((a) => `/activations/${a.name}`),
  "/compare",
  "/softmax",
  "/parallel",
  "/benchmarks",
  "/accuracy",
  "/systems",
  "/api/",
  "/no-such-page",
];

/**
 * Pages checked by axe and for sideways overflow at both widths: one of each kind, and the
 * activations whose layouts differ (options, a reduction, a halving gate, an image).
 */
const AUDITED: readonly string[] = [
  "/",
  "/activations",
  "/activations/gelu",
  "/activations/threshold",
  "/activations/softmax",
  "/activations/glu",
  "/activations/softmax2d",
  "/compare",
  "/softmax",
  "/parallel",
  "/benchmarks",
  "/accuracy",
  "/systems",
  "/api/",
  "/no-such-page",
];

const PHONE = { width: 390, height: 844, isMobile: true };

const DESKTOP = { width: 1280, height: 900 };
/** Pages also photographed at a phone's width. */
const MOBILE: readonly string[] = [
  "/",
  "/activations",
  "/activations/gelu",
  "/softmax",
  "/systems",
];

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
        // Matched by the resource's URL, since the message can arrive after the next step began.
        const url = m.location()?.url ?? "";
        if ((expect404 || url.endsWith("/no-such-page")) && m.text().includes("status of 404")) {
          return;
        }
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
            await page.setViewport(PHONE);
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

      await t.step("axe finds no serious or critical problem at 1280 and 390 px", async () => {
        const found: string[] = [];
        for (const viewport of [DESKTOP, PHONE]) {
          await page.setViewport(viewport);
          for (const path of AUDITED) {
            expect404 = path === "/no-such-page";
            await page.goto(new URL(path.slice(1), site.url).href, { waitUntil: "load" });
            await hydrated(page);
            for (const v of await runAxe(page)) {
              if (v.impact === "serious" || v.impact === "critical") {
                found.push(`${viewport.width}px ${path}: ${v.id} (${v.impact}) at ${v.targets[0]}`);
              }
            }
            // Nothing may stick out sideways: the page scrolls down, never across.
            const overflow = await page.evaluate(() =>
              document.documentElement.scrollWidth - document.documentElement.clientWidth
            );
            if (overflow > 0) found.push(`${viewport.width}px ${path}: ${overflow}px too wide`);
          }
        }
        expect404 = false;
        await page.setViewport(DESKTOP);
        assert.deepEqual(found, []);
        assert.deepEqual(problems, []);
      });

      await t.step(
        "/activations lists every activation by family, and the filter finds aliases",
        async () => {
          await page.goto(new URL("activations", site.url).href, { waitUntil: "load" });
          await hydrated(page);
          const listed = await page.$$eval(
            ".activation-index [data-activation]",
            (es) => es.map((e) => (e as HTMLElement).dataset.activation),
          );
          assert.deepEqual(listed.toSorted(), ACTIVATIONS.map((a) => a.name).toSorted());
          assert.equal(
            await page.$$eval(".activation-index .family", (es) => es.length),
            new Set(ACTIVATIONS.map((a) => a.family)).size,
          );
          await page.type("#filter-index", "swish");
          await page.waitForFunction(() =>
            document.querySelectorAll(".activation-index [data-activation]").length < 5
          );
          const found = await page.$$eval(
            ".activation-index [data-activation]",
            (es) => es.map((e) => (e as HTMLElement).dataset.activation),
          );
          assert.ok(found.includes("silu"), found.join());
          await page.type("#filter-index", " nothing-like-this");
          await page.waitForFunction(() =>
            document.querySelector(".activation-index .filter-count")?.textContent?.startsWith(
              "No ",
            )
          );
        },
      );

      await t.step("an activation page marks itself current in the sidebar, not Home", async () => {
        await page.goto(new URL("activations/silu", site.url).href, { waitUntil: "load" });
        await hydrated(page);
        const current = await page.$$eval(
          "[aria-current=page]",
          (es) => es.map((e) => e.textContent?.trim()),
        );
        assert.deepEqual(current, ["Activations", "SiLU"]);
        // The sidebar's filter works there too.
        await page.type("#filter-sidebar", "swish");
        await page.waitForFunction(() =>
          document.querySelectorAll(".activation-sidebar [data-activation]").length < 5
        );
      });

      await t.step("an activation URL in any case redirects to its page", async () => {
        const response = await page.goto(new URL("activations/leakyrelu", site.url).href, {
          waitUntil: "load",
        });
        // 304 when the browser still holds the page from an earlier step.
        assert.ok([200, 304].includes(response?.status() ?? 0), String(response?.status()));
        assert.equal(new URL(page.url()).pathname, "/activations/leakyRelu");
        const redirected = response?.request().redirectChain() ?? [];
        assert.equal(redirected[0]?.response()?.status(), 301);
      });

      await t.step("try-it opens on real numbers and real option values everywhere", async () => {
        for (const name of ["softmax", "logSoftmax", "softmin", "softmax2d", "glu", "threshold"]) {
          await page.goto(new URL(`activations/${name}`, site.url).href, { waitUntil: "load" });
          await hydrated(page);
          const outputs = await page.$$eval(
            "[data-testid=try-output]",
            (es) => es.map((e) => e.textContent),
          );
          assert.ok(outputs.length > 0, name);
          // Reductions open without NaN (one would make every output NaN); element-wise lists
          // keep theirs, to show it passes through.
          const reduction = ACTIVATIONS.find((a) => a.name === name)?.kind === "reduction";
          if (reduction) assert.ok(!outputs.includes("NaN"), `${name}: ${outputs}`);
          assert.equal(await page.$(".try-it .error"), null, name);
          assert.equal(await page.$(".explorer .error"), null, name);
        }
        // GLU pairs each input with the one half a list later: 6 inputs, 3 outputs.
        await page.goto(new URL("activations/glu", site.url).href, { waitUntil: "load" });
        assert.equal((await page.$$("[data-testid=try-output]")).length, 3);
        // Threshold's required options show the value the plot and the table use.
        await page.goto(new URL("activations/threshold", site.url).href, { waitUntil: "load" });
        await hydrated(page);
        for (
          const id of ["fx-threshold-threshold", "try-threshold-threshold", "try-threshold-value"]
        ) {
          assert.equal(await page.$eval(`#${id}`, (e) => (e as HTMLInputElement).value), "0", id);
        }
      });

      await t.step("the plot reads out x, f(x) and f'(x) from the keyboard", async () => {
        await page.goto(new URL("activations/relu", site.url).href, { waitUntil: "load" });
        await hydrated(page);
        await page.focus(".plot-interactive");
        await page.keyboard.press("End");
        await page.waitForFunction(() =>
          document.querySelector("[data-testid=readout]")?.textContent?.startsWith("x = 5,")
        );
        assert.equal(
          await page.$eval("[data-testid=readout]", (e) => e.textContent),
          "x = 5, relu(x) = 5, relu′(x) = 1",
        );
      });

      await t.step("the compare chart reads out every curve at x from the keyboard", async () => {
        await page.goto(new URL("compare", site.url).href, { waitUntil: "load" });
        await hydrated(page);
        await page.focus(".plot-interactive");
        await page.keyboard.press("End");
        await page.waitForFunction(() =>
          document.querySelector("[data-testid=readout]")?.textContent?.startsWith("x = 5:")
        );
        const text = await page.$eval("[data-testid=readout]", (e) => e.textContent ?? "");
        assert.match(text, /relu = 5(,|$)/);
        assert.match(text, /sigmoid = 0\.993307/);
      });

      await t.step(
        "calculators name bad input instead of using it, and draw 10,000 layers",
        async () => {
          await page.goto(new URL("systems", site.url).href, { waitUntil: "load" });
          await hydrated(page);
          const bytes = () => page.$eval("[data-testid=memory-bytes]", (e) => e.textContent);
          const before = await bytes();
          for (
            const [typed, message] of [["0", "At least 1"], ["", "Enter a number"], [
              "abc",
              "Not a number",
            ], ["2.5", "Enter a whole number"]]
          ) {
            await page.$eval("#memory-batch", (e) => ((e as HTMLInputElement).value = ""));
            if (typed) await page.type("#memory-batch", typed);
            else await page.type("#memory-batch", " ");
            await page.keyboard.press("Tab");
            await page.waitForSelector("#memory-batch-message");
            assert.equal(await page.$eval("#memory-batch-message", (e) => e.textContent), message);
            // "2.5" passes through a valid "2" on the way, which is used while typing.
            if (typed !== "2.5") {
              assert.equal(await bytes(), before, `batch ${JSON.stringify(typed)} was used`);
            }
          }
          await page.$eval("#sparsity-b", (e) => ((e as HTMLInputElement).value = ""));
          await page.type("#sparsity-b", "-1");
          await page.keyboard.press("Tab");
          await page.waitForSelector("#sparsity-b-message");
          await page.$eval("#gradient-depth", (e) => ((e as HTMLInputElement).value = ""));
          await page.type("#gradient-depth", "10000");
          await page.keyboard.press("Tab");
          await page.waitForFunction(() =>
            document.querySelector("[role=status] strong[data-testid=gradient-bound]")
              ?.parentElement
              ?.textContent?.includes("10,000 layers")
          );
          const bound = await page.$eval(
            "[data-testid=gradient-bound]",
            (e) => e.textContent ?? "",
          );
          assert.match(bound, /e-\d{3,}/); // far below float64, spelled out, not 0
          const ticks = await page.$$eval(
            "[aria-label^='Gradient bound'] svg text",
            (es) => es.map((e) => e.textContent ?? ""),
          );
          assert.ok(
            ticks.every((t) => !/\d[yzafpnµm]$/.test(t)),
            ticks.join(),
          );
        },
      );

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
