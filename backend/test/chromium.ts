// Debian's Chromium through playwright-core, as tests and benchmarks launch it (never a download).
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

/**
 * Headless, no sandbox (we run as root), and none of Chromium's background traffic: this machine's
 * network is closed, and those connections would fail many at a time.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
