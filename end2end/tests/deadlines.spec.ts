import { expect, test } from "./fixtures";
import { expectAccessible, expectLive, open, snap } from "./helpers";

// Journey: someone checks how a deadline is counted; the browser's answer is
// the server's answer (one engine, compiled to wasm).

test("the calculator shows the due date the server enforces", async ({ page, request }) => {
  await open(page, "/deadlines");
  await expect(page.getByTestId("deadline-empty")).toBeVisible();
  await page.getByLabel("Policy").selectOption("privacy-officer-60");
  await page.getByLabel("Clock starts at").fill("2027-01-31T23:30");
  await expect(page.getByTestId("due-local")).toHaveText("2027-04-01 23:59:59 (Asia/Shanghai)");
  await expect(page.getByTestId("due-utc")).toHaveText("2027-04-01 15:59:59 UTC");
  // The countdown runs from today, whatever today is: a clock started ten
  // days from now has about seventy days left.
  const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 16);
  await page.getByLabel("Clock starts at").fill(inTenDays);
  await expect(page.getByTestId("countdown")).toHaveText(/^(69|70|71) days left$/);
  await page.getByLabel("Clock starts at").fill("2027-01-31T23:30");
  await expect(page.getByTestId("due-local")).toHaveText("2027-04-01 23:59:59 (Asia/Shanghai)");
  await snap(page, "deadlines-en");

  const server = await request.post("/api/v1/deadlines/compute", {
    data: { policy: "privacy-officer-60", start: "2027-01-31T15:30:00Z" },
  });
  expect((await server.json()).due_at).toBe("2027-04-01T15:59:59Z");

  await page.getByLabel("Policy").selectOption("reaccess-4h");
  await page.getByLabel("Clock starts at").fill("2027-03-02T06:00");
  await expect(page.getByTestId("due-local")).toHaveText("2027-03-02 10:00:00 (Asia/Shanghai)");

  await page.getByLabel("Policy").selectOption("gdpr-1m");
  await page.getByLabel("Clock starts at").fill("2027-01-31T11:00");
  await expect(page.getByTestId("due-local")).toHaveText("2027-02-28 23:59:59 (Europe/Berlin)");
  await expectAccessible(page);
});

test("the calculator speaks Chinese", async ({ page }) => {
  await open(page, "/deadlines");
  await page.getByTestId("language-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我们如何计算期限");
  await page.getByLabel("开始计时").fill("2026-11-29T10:00");
  await expect(page.getByTestId("countdown")).toHaveText(/还剩 \d+ 天|今天到期|已逾期/);
  await expectAccessible(page);
  await snap(page, "deadlines-zh");
});

test("the language switch pressed while the page is still hydrating brings the whole page back in Chinese", async ({ page }) => {
  // Hold back the page's own code (its area's split files): the header
  // hydrates with the main wasm, the calculator not yet. A text the server
  // rendered and hydration reaches only after the switch would stay English,
  // so the switch must post its form until the whole page is live.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pkg\/(split|chunk)_/, async (route) => {
    await held;
    await route.continue();
  });
  const mainWasm = page.waitForResponse(/\/pkg\/portal[^/]*\.wasm$/);
  await page.goto("/deadlines", { waitUntil: "commit" });
  await mainWasm;
  // Time for the main module to compile and hydrate the header.
  await page.waitForTimeout(1_000);
  await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
  await page.getByTestId("language-switch").click();
  release();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我们如何计算期限");
  await expectLive(page);
  await page.getByLabel("开始计时").fill("2026-11-29T10:00");
  await expect(page.getByTestId("countdown")).toHaveText(/还剩 \d+ 天|今天到期|已逾期/);
});
