import { expect, test } from "./fixtures";
import { linkIn, newestMailTo, open, snap, uniqueEmail } from "./helpers";

// Journey: a person creates an account, lands on the rights home, signs out.

test("signing up sends a link, and the link creates the account and signs it in", async ({ page }) => {
  const email = uniqueEmail();
  await open(page, "/signup");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("a-long-password");
  await page.getByLabel("Display name").fill("Wang Fang 王芳");
  await page.getByLabel("Birth date").fill("1995-06-01");
  await snap(page, "sign-up-filled-en");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/signup\/sent$/);
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await snap(page, "sign-up-sent-en");
  // No account until the link is opened.
  const early = await page.request.post("/api/v1/auth/login", { data: { email, password: "a-long-password" } });
  expect(early.status()).toBe(401);

  const mail = await newestMailTo(email);
  expect(mail.subject).toBe("Confirm your e-mail address to finish signing up");
  const link = linkIn(mail.body, "/verify-email");
  await open(page, link);
  await expect(page.getByRole("heading", { name: "Confirm your e-mail address" })).toBeVisible();
  await snap(page, "verify-email-en");
  await page.getByRole("button", { name: "Confirm and create my account" }).click();

  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { name: "My privacy rights" })).toBeVisible();
  await expect(page.getByText("Hello, Wang Fang 王芳")).toBeVisible();
  await expect(page.getByTestId("card-export")).toContainText("Export my data");
  await snap(page, "holder-home-en");

  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
  // The old session no longer opens the home.
  await open(page, "/home");
  await expect(page.getByTestId("sign-in-required")).toBeVisible();

  // The link worked once.
  await open(page, link);
  await page.getByRole("button", { name: "Confirm and create my account" }).click();
  await expect(page.getByTestId("form-alert")).toHaveText(/expired or has already been used/);
  await snap(page, "verify-email-used-en");
});

test("a bad sign-up shows each error next to its field and creates nothing", async ({ page }) => {
  await open(page, "/signup");
  await page.getByLabel("E-mail address").fill("not-an-address");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Birth date").fill("1995-06-01");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.getByTestId("email-error")).toHaveText(/e-mail address such as name@example.com/);
  await expect(page.getByTestId("password-error")).toHaveText(/at least 10 characters/);
  await expect(page.getByTestId("display_name-error")).toHaveText(/Enter the name others see/);
  await expect(page.getByTestId("birth_date-error")).toHaveText("");
  await expect(page.getByLabel("E-mail address")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("E-mail address")).toBeFocused();
  await expect(page).toHaveURL(/\/signup$/);
  await snap(page, "sign-up-errors-en");
});

test("a taken address gets the same answer as a new one, and its owner a note", async ({ page }) => {
  await open(page, "/signup");
  await page.getByLabel("E-mail address").fill("demo@example.com");
  await page.getByLabel("Password", { exact: true }).fill("a-long-password");
  await page.getByLabel("Display name").fill("Someone");
  await page.getByLabel("Birth date").fill("1990-01-01");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/signup\/sent$/);
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const mail = await newestMailTo("demo@example.com", "Someone tried to sign up with your address");
  expect(mail.body).not.toContain("verify-email");
});

test("the sign-up pages and mails in Chinese", async ({ page }) => {
  await open(page, "/signup");
  await page.getByTestId("language-switch").click();
  const email = uniqueEmail("zh");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码", { exact: true }).fill("a-long-password");
  await page.getByLabel("昵称").fill("李雷");
  await page.getByLabel("出生日期").fill("1990-01-01");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByRole("heading", { name: "请查收邮件" })).toBeVisible();
  await snap(page, "sign-up-sent-zh");
  const mail = await newestMailTo(email);
  expect(mail.subject).toBe("请确认您的电子邮箱以完成注册");
  await open(page, linkIn(mail.body, "/verify-email"));
  await expect(page.getByRole("heading", { name: "确认您的电子邮箱" })).toBeVisible();
  await snap(page, "verify-email-zh");
  await page.getByRole("button", { name: "确认并创建账号" }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的隐私权利");
});

test("a child under 13 is refused, with the reason next to the birth date", async ({ page }) => {
  const tenYearsAgo = new Date();
  tenYearsAgo.setFullYear(tenYearsAgo.getFullYear() - 10);
  await open(page, "/signup");
  await page.getByLabel("E-mail address").fill(uniqueEmail("child"));
  await page.getByLabel("Password", { exact: true }).fill("a-long-password");
  await page.getByLabel("Display name").fill("Xiao Ming");
  await page.getByLabel("Birth date").fill(tenYearsAgo.toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("birth_date-error")).toHaveText(/aged 13 or over/);
  await expect(page).toHaveURL(/\/signup$/);
  await snap(page, "sign-up-under-13-en");
});

test("the server refuses an under-13 sign-up even without the browser's check", async ({ request }) => {
  const response = await request.post("/api/v1/auth/signup", {
    data: { email: uniqueEmail("child"), password: "a-long-password", display_name: "Kid", birth_date: "2020-01-01" },
  });
  expect(response.status()).toBe(422);
  const body = await response.json();
  expect(body.error.code).toBe("age_restricted");
  expect(body.error.field).toBe("birth_date");
});

test("a wrong password is refused on the sign-in form", async ({ page }) => {
  await open(page, "/login");
  await page.getByLabel("E-mail address").fill("demo@example.com");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-alert")).toHaveText(/e-mail address or password is not right/);
  await expect(page).toHaveURL(/\/login$/);
});
