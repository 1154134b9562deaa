import { expect, test } from "./fixtures";
import { DEMO, expectAccessible, open, signIn, snap } from "./helpers";

// The officer filters the register, looks at the requester's data through an
// assigned request, and answers in part with a withheld item; the
// administrator edits a deadline policy and reads the audit log.

test("the officer filters, looks at the requester's data and answers in part", async ({ page, browser }) => {
  await signIn(page, DEMO.holder, "/home");
  await open(page, "/requests/new");
  await page.getByLabel("What do you ask for?").selectOption("objection");
  await page.getByLabel("Describe your request").fill("Stop using my step counts for recommendations.");
  await page.getByRole("button", { name: "Send request" }).click();
  const ack = (await page.getByTestId("receipt-ack").textContent())!.trim();

  const context = await browser.newContext();
  const officer = await context.newPage();
  await signIn(officer, DEMO.officer, "/officer");
  await open(officer, "/officer/register");
  await officer.locator("#filter-kind").selectOption("objection");
  await expect(officer.getByTestId("register")).toContainText(ack);
  await officer.locator("#filter-kind").selectOption("copy");
  await expect(officer.getByRole("link", { name: ack })).toHaveCount(0);
  await officer.locator("#filter-kind").selectOption("objection");
  // Due in 30 days: not within the next day.
  await officer.locator("#filter-due").selectOption("1");
  await expect(officer.getByRole("link", { name: ack })).toHaveCount(0);
  await officer.locator("#filter-due").selectOption("");
  await officer.locator("#filter-assignee").selectOption("none");
  await expect(officer.getByTestId("register")).toContainText(ack);
  await expectAccessible(officer);
  await snap(officer, "officer-register-filters-en");
  await officer.getByRole("link", { name: ack }).click();
  await expect(officer.getByTestId("ack")).toHaveText(ack);

  // Not assigned yet: the requester's data stays closed.
  await officer.getByTestId("requester-category").selectOption("steps");
  await expect(officer.getByTestId("requester-data-error")).toContainText(/Assign/);
  await officer.getByTestId("act-assign").click();
  await expect(officer.getByTestId("timeline")).toContainText("Assigned");
  await officer.getByTestId("requester-category").selectOption("location");
  await officer.getByTestId("requester-category").selectOption("steps");
  await expect(officer.getByTestId("requester-data").getByTestId("data-item").first()).toBeVisible();
  await expect(officer.getByTestId("requester-data").getByTestId("delete")).toHaveCount(0);

  // A partial answer names each withheld item with its reason.
  await officer.getByLabel(/Message, reason or summary/).fill("Step counts are no longer used for recommendations.");
  await officer.locator("#withheld-item-0").fill("Sign-in log");
  await officer.locator("#withheld-reason-0").fill("Kept for 6 months under the Cybersecurity Law.");
  await officer.getByTestId("act-partly-fulfil").click();
  await expect(officer.getByTestId("status")).toContainText("Partly answered");
  await expect(officer.getByTestId("timeline")).toContainText("Sign-in log");
  await expectAccessible(officer);
  await snap(officer, "officer-partly-fulfilled-en");
  await context.close();
});

test("the administrator edits a deadline policy and reads the audit log", async ({ page }) => {
  await signIn(page, DEMO.admin, "/admin");
  await page.getByTestId("card-policies").getByRole("link").click();
  await expect(page).toHaveURL(/\/admin\/policies$/);
  const policy = page.getByTestId("policy-reaccess-4h");
  const before = Number(await policy.getByTestId("policy-version").textContent());
  await policy.getByLabel("Reminders before the due date (e.g. 7, 3, 1)").fill("2, 1");
  await policy.getByRole("button", { name: "Save" }).click();
  await expect(policy.getByTestId("policy-saved")).toBeVisible();
  await expect(policy.getByTestId("policy-version")).toHaveText(String(before + 1));
  // A bad value is refused next to the form, before anything is sent.
  await policy.getByLabel("Length").fill("0");
  await policy.getByRole("button", { name: "Save" }).click();
  await expect(policy.getByRole("alert")).toContainText("at least 1");
  await expectAccessible(page);
  await snap(page, "admin-policies-en");

  await open(page, "/admin/audit");
  await expect(page.getByTestId("chain-intact")).toBeVisible();
  await expect(page.getByTestId("audit-table")).toContainText("policy.updated");
  await expect(page.getByTestId("audit-table")).toContainText("staff.signed_in");
  await expectAccessible(page);
  await snap(page, "admin-audit-en");
  await page.getByTestId("language-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("审计日志");
  await snap(page, "admin-audit-zh");
});
