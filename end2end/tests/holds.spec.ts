import { expect, test } from "./fixtures";
import { DEMO, expectAccessible, freshHolder, open, signIn, snap, uniqueEmail } from "./helpers";

// Journey: the administrator freezes an account for a legal hold from the
// administration pages; the holder is refused cancelling, with the reason;
// the administrator releases it. The settings form refuses bad values next
// to their fields (and is saved unchanged: other tests read the settings).

test("the administrator freezes and releases an account, and the settings form checks its fields", async ({ page, request }) => {
  const email = uniqueEmail("hold");
  const password = "legal-hold-pass-1";
  const token = await freshHolder(request, email, password);
  const auth = { Authorization: `Bearer ${token}` };
  const me = await (await request.get("/api/v1/me", { headers: auth })).json();

  await signIn(page, DEMO.admin, "/admin");
  await page.getByTestId("card-holds").getByRole("link").click();
  await expect(page).toHaveURL(/\/admin\/holds$/);
  const hold = page.getByTestId("hold-form");
  // No reason: refused next to the field.
  await hold.getByLabel("Account ID").fill(me.account_id);
  await hold.getByRole("button", { name: "Freeze" }).click();
  await expect(page.getByTestId("hold-reason-error")).toHaveText("Give a reason of at most 500 characters.");
  // Not an account: said above the buttons.
  await hold.getByLabel("Account ID").fill("00000000-0000-4000-8000-000000000000");
  await hold.getByLabel(/^Reason/).fill("Preservation order 2026-17, Nanshan court");
  await hold.getByRole("button", { name: "Freeze" }).click();
  await expect(page.getByTestId("hold-error")).toHaveText("There is no account with that ID.");
  await hold.getByLabel("Account ID").fill(me.account_id);
  await hold.getByRole("button", { name: "Freeze" }).click();
  await expect(page.getByTestId("hold-outcome")).toContainText("Frozen since");
  await expect(page.getByTestId("hold-outcome")).toContainText("Preservation order 2026-17");
  await expectAccessible(page);
  await snap(page, "admin-holds-en");

  // The holder cannot cancel, and is told why.
  expect((await request.post("/api/v1/auth/reauth", { headers: auth, data: { password } })).status()).toBe(204);
  const refused = await request.post("/api/v1/me/cancellation", { headers: auth, data: {} });
  expect(refused.status()).toBe(409);
  const body = await refused.json();
  expect(body.error.code).toBe("account_frozen");
  expect(body.error.message).toContain("Preservation order 2026-17");

  await hold.getByRole("button", { name: "Release" }).click();
  await expect(page.getByTestId("hold-outcome")).toHaveText("Released.");
  await hold.getByRole("button", { name: "Release" }).click();
  await expect(page.getByTestId("hold-error")).toHaveText("That account is not frozen.");

  // Settings: the current values, refused bad ones, saved as they were.
  const settings = page.getByTestId("settings-form");
  const days = settings.getByLabel(/Cooling-off period/);
  await expect(days).toHaveValue("15");
  const notice = settings.getByLabel(/regulator line/);
  await expect(notice).toHaveValue(/12377/);
  const current = await notice.inputValue();
  await days.fill("0");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("cooling-off-error")).toHaveText("Choose a period of 1 to 90 days.");
  await days.fill("15");
  await notice.fill("   ");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("regulator-error")).toHaveText("This field is required.");
  await notice.fill(current);
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("settings-saved")).toHaveText("Saved.");
  await page.getByTestId("language-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("法律保全与设置");
  await snap(page, "admin-holds-zh");
});
