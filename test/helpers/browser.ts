import chromium from "@sparticuz/chromium";
import puppeteer, { type Browser } from "puppeteer-core";

/**
 * Headless Chromium from npm: `@sparticuz/chromium` ships the binary inside the package (unpacked to
 * the temp directory on first use), so `npm ci` is all a machine needs — no browser download host, no
 * system package. `puppeteer-core` drives it and never downloads anything itself.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await chromium.executablePath();
  return puppeteer.launch({
    executablePath,
    // The package's flags for a sandbox-less container, plus ours: this machine's network is closed,
    // so Chromium must not try to phone home.
    args: [...chromium.args, "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    headless: true,
    defaultViewport: { width: 960, height: 1400 },
  });
}
