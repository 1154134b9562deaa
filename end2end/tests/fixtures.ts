import { expect, test as base, type Page } from "@playwright/test";

/** What each page said that a failed test should show: see `pageLog`. */
const logs = new WeakMap<Page, string[]>();

/**
 * The browser's errors on this page so far: console errors (a Rust panic
 * among them), uncaught exceptions, requests that failed and answers of 400
 * or more. A test that fails prints them, and `open` puts them in its
 * message, so a CI log names the cause of a page that never came alive.
 */
export function pageLog(page: Page): string[] {
  return logs.get(page) ?? [];
}

/**
 * The tests' `test`: Playwright's, with the browser's clock following the
 * test runner's, and the page's errors recorded (`pageLog`). Normally the
 * clocks agree already; when the suite runs under `faketime` (years ahead, to
 * prove nothing depends on today's date) the runner and the portal see the
 * faked time, but Chromium cannot run under libfaketime, so it starts without
 * it (see playwright.config.ts) and its clock is set here to the runner's.
 */
export const test = base.extend<{ browserClock: void; browserLog: void }>({
  browserClock: [
    async ({ page }, use) => {
      if (process.env.FAKETIME) {
        await page.clock.install({ time: new Date() });
      }
      await use();
    },
    { auto: true },
  ],
  browserLog: [
    async ({ page }, use, testInfo) => {
      const log: string[] = [];
      logs.set(page, log);
      const began = Date.now();
      const at = () => `${((Date.now() - began) / 1000).toFixed(1)}s`;
      // A stack's first lines name the place; a failed request is logged
      // once (Chromium's console repeats it as "Failed to load resource").
      const brief = (text: string) => text.split("\n").slice(0, 3).join("\n");
      page.on("console", (m) => {
        if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) {
          log.push(`${at()} console error: ${brief(m.text())}`);
        }
      });
      page.on("pageerror", (e) => log.push(`${at()} uncaught: ${brief(e.message)}`));
      page.on("requestfailed", (r) => log.push(`${at()} request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`));
      page.on("response", (r) => {
        if (r.status() >= 400) log.push(`${at()} ${r.status()} for ${r.request().method()} ${r.url()}`);
      });
      await use();
      if (testInfo.status !== testInfo.expectedStatus && log.length > 0) {
        const text = log.join("\n");
        console.log(`the browser's errors in "${testInfo.title}":\n${text}`);
        await testInfo.attach("browser-errors", { body: text, contentType: "text/plain" });
      }
    },
    { auto: true },
  ],
});

export { expect };
