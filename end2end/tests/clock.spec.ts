import { expect, test } from "./fixtures";
import { DEMO, fileAsStranger, open, signIn, snap } from "./helpers";

// Moving the portal's clock expires every session, so this journey runs in
// its own project after all the others (see playwright.config.ts).

test("when the clock passes the deadline the register shows the request overdue", async ({ page, browser, request }) => {
  const { ack } = await fileAsStranger(page);
  // The administrator moves the portal's clock 61 days on; the sweeper runs at once.
  const login = await request.post("/api/v1/auth/login", { data: DEMO.admin });
  const { token } = await login.json();
  const moved = await request.post("/api/v1/dev/clock", {
    headers: { authorization: `Bearer ${token}` },
    data: { advance_seconds: 61 * 86400 },
  });
  expect(moved.status()).toBe(200);

  const officerContext = await browser.newContext();
  const officer = await officerContext.newPage();
  await signIn(officer, DEMO.officer, "/officer");
  await open(officer, "/officer/register");
  await officer.getByTestId("overdue-only").check();
  const row = officer.getByTestId("register-row").filter({ hasText: ack });
  await expect(row).toContainText("Overdue");
  // The countdown follows the server's clock, not the browser's (which did
  // not move): the request is past its 60 days there.
  await expect(row.getByTestId("row-countdown")).toHaveText(/^(overdue|1 day overdue)$/);
  // And its due instant is shown in its policy's zone.
  await expect(row).toContainText("(Asia/Shanghai)");
  await snap(officer, "officer-register-overdue-en");
  await officerContext.close();
});
