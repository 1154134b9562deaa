import { expect, test } from "./fixtures";
import { DEMO, open, signIn, snap } from "./helpers";

// Journey: a person switches to Chinese, and the choice is remembered.

test("the language switch shows Chinese at once and remembers it", async ({ page }) => {
  await open(page, "/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your personal data, in your hands");
  await page.getByTestId("language-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("你的个人信息，由你掌控");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await snap(page, "landing-zh");

  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("你的个人信息，由你掌控");
  await page.getByTestId("language-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your personal data, in your hands");
});

test("the signed-in pages and form errors are in Chinese too", async ({ page }) => {
  await open(page, "/signup");
  await page.getByTestId("language-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("注册账号");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByTestId("email-error")).toHaveText(/请输入电子邮箱地址/);
  await snap(page, "sign-up-errors-zh");

  await signIn(page, DEMO.holder, "/home");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的隐私权利");
  await expect(page.getByTestId("card-data")).toContainText("查阅我的数据");
  await snap(page, "holder-home-zh");
});

test("a browser that prefers Chinese gets Chinese on its first visit", async ({ browser }) => {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await open(page, "/login");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录");
  await context.close();
});
