import { expect, test as base } from "@playwright/test";

/**
 * The tests' `test`: Playwright's, with the browser's clock following the
 * test runner's. Normally they agree already; when the suite runs under
 * `faketime` (years ahead, to prove nothing depends on today's date) the
 * runner and the portal see the faked time, but Chromium cannot run under
 * libfaketime, so it starts without it (see playwright.config.ts) and its
 * clock is set here to the runner's.
 */
export const test = base.extend<{ browserClock: void }>({
  browserClock: [
    async ({ page }, use) => {
      if (process.env.FAKETIME) {
        await page.clock.install({ time: new Date() });
      }
      await use();
    },
    { auto: true },
  ],
});

export { expect };
