/**
 * Test helpers for the site: start it on a free loopback port, and drive it with the system's
 * headless Chromium through puppeteer-core. Used by the end-to-end tests in `tests/e2e/`.
 *
 * @module
 */

import puppeteer, { type Browser, type Page } from "puppeteer-core";
import axe from "axe-core";

export type { Browser, Page } from "puppeteer-core";
import { buildAssets } from "./assets.ts";
import { serveSite, type ServeSiteOptions } from "./server.ts";

/** Where Chromium or Chrome is usually installed, after the environment variables. */
const USUAL_PATHS = [
  "/usr/bin/chromium", // Debian's chromium package
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

/** The environment variables that name the browser, in the order they are read. */
export const CHROMIUM_ENV = ["CHROMIUM_PATH", "PUPPETEER_EXECUTABLE_PATH", "CHROME_PATH"];

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * The browser the end-to-end tests drive: the first of `CHROMIUM_PATH`,
 * `PUPPETEER_EXECUTABLE_PATH` and `CHROME_PATH` that is set (which must exist), else the first
 * usual install path that exists, else `undefined`.
 */
export function findChromium(): string | undefined {
  for (const name of CHROMIUM_ENV) {
    const value = Deno.env.get(name);
    if (value) return value;
  }
  return USUAL_PATHS.find(isFile);
}

/** The browser found by {@linkcode findChromium}, or Debian's path when there is none. */
export const CHROMIUM_PATH: string = findChromium() ?? "/usr/bin/chromium";

/** Whether the browser at `path` exists, so browser tests can run. */
export function hasChromium(path: string = CHROMIUM_PATH): boolean {
  return isFile(path);
}

/** A running site. */
export interface RunningSite {
  /** Its base URL, ending in `/`. */
  url: string;
  /** Stops the server and waits until it has. */
  close(): Promise<void>;
}

/** Options of {@linkcode startSite}. */
export interface StartSiteOptions extends Omit<ServeSiteOptions, "hostname" | "port"> {
  /** Build the browser assets first. @default {true} */
  build?: boolean;
}

/** Serves the site on a free port of 127.0.0.1. */
export async function startSite(options: StartSiteOptions = {}): Promise<RunningSite> {
  if (options.build ?? true) await buildAssets({ docs: true });
  const server = await serveSite({ ...options, port: 0, hostname: "127.0.0.1" });
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    close: () => server.shutdown(),
  };
}

/** A headless browser with its own profile folder, removed on close. */
export interface TestBrowser {
  /** The puppeteer browser. */
  browser: Browser;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh profile and no background traffic. */
export async function launchBrowser(path: string = CHROMIUM_PATH): Promise<TestBrowser> {
  const profile = await Deno.makeTempDir({ prefix: "nonlin-chromium-" });
  const browser = await puppeteer.launch({
    executablePath: path,
    headless: true,
    userDataDir: profile,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

/** One accessibility rule a page breaks, as axe-core reports it. */
export interface AxeViolation {
  /** The rule: `color-contrast`, `aria-prohibited-attr`, … */
  id: string;
  /** `minor`, `moderate`, `serious` or `critical`. */
  impact: string | null;
  /** CSS selectors of the offending elements. */
  targets: string[];
}

/**
 * Runs axe-core (its source injected into the page) over the page as it is now and returns
 * its violations. axe's own browser build, so what it checks is the page the browser renders.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  // `source` is the browser build as text, which axe-core publishes for exactly this.
  await page.evaluate((axe as unknown as { source: string }).source);
  return await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const result = await (globalThis as any).axe.run(document, { resultTypes: ["violations"] });
    // deno-lint-ignore no-explicit-any
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      // deno-lint-ignore no-explicit-any
      targets: v.nodes.map((n: any) => n.target.join(" ")),
    }));
  });
}
