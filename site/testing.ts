/**
 * Test helpers for the site: start it on a free loopback port, and drive it with the system's
 * headless Chromium through puppeteer-core. Used by the end-to-end tests in `tests/e2e/`.
 *
 * @module
 */

import puppeteer, { type Browser } from "puppeteer-core";

export type { Browser, Page } from "puppeteer-core";
import { buildAssets } from "./assets.ts";
import { serveSite, type ServeSiteOptions } from "./server.ts";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Whether Chromium is installed, so browser tests can run. */
export function hasChromium(path: string = CHROMIUM_PATH): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
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
