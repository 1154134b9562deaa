import { type Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DEMO, expectAccessible, open, signIn, snap } from "./helpers";

const CATEGORIES = [
  "profile",
  "account_security",
  "posts",
  "conversations",
  "messages",
  "friends",
  "blocked",
  "location",
  "steps",
  "contacts",
  "cards",
  "devices",
  "sign_ins",
  "consents",
  "settings",
  "notifications",
  "requests",
  "activity",
];

async function openCategory(page: Page, category: string): Promise<void> {
  await open(page, `/data/${category}`);
  await expect(page.getByTestId("data-category")).toBeVisible();
}

test("the holder browses every category of their data", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO.holder, "/home");
  await page.getByTestId("card-data").getByRole("link").click();
  await expect(page).toHaveURL(/\/data$/);
  for (const category of CATEGORIES) {
    await expect(page.getByTestId(`category-${category}`)).toBeVisible();
  }
  await expectAccessible(page);
  await snap(page, "data-overview-en");
  for (const category of CATEGORIES) {
    await openCategory(page, category);
    if (category === "profile" || category === "account_security") {
      await expect(page.getByTestId("correction-form")).toBeVisible();
    } else if (category === "settings") {
      await expect(page.getByTestId("settings-form")).toBeVisible();
    } else {
      await expect(page.getByTestId("data-item").first()).toBeVisible();
    }
    await expectAccessible(page);
  }
  await openCategory(page, "posts");
  await snap(page, "data-posts-en");
  // Paging: more messages appear below the first page.
  await openCategory(page, "messages");
  const first = await page.getByTestId("data-item").count();
  await page.getByTestId("load-more").click();
  await expect.poll(() => page.getByTestId("data-item").count()).toBeGreaterThan(first);
  // Conversations lead to their messages.
  await openCategory(page, "conversations");
  await page.getByRole("link", { name: "Show messages" }).first().click();
  await expect(page).toHaveURL(/\/data\/messages\?conversation=/);
  await expect(page.getByTestId("data-item").first()).toBeVisible();
});

test("the holder corrects the display name and is offered the officer for the account ID", async ({ page }) => {
  await signIn(page, DEMO.holder, "/home");
  await openCategory(page, "profile");
  await page.getByLabel("Name", { exact: true }).fill("李华 Li Hua");
  await page.getByTestId("save").click();
  await expect(page.getByTestId("saved")).toBeVisible();
  await open(page, "/data/profile");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("李华 Li Hua");

  // The account ID is fixed: refused next to the field, with the offer.
  await page.getByLabel("Account ID").fill("wxid_new_name");
  await page.getByTestId("save").click();
  await expect(page.getByTestId("account_id-error")).toBeVisible();
  await expect(page.getByTestId("officer-offer")).toBeVisible();
  await snap(page, "data-profile-immutable-en");
  await page.getByTestId("ask-officer").click();
  await expect(page.getByTestId("correction-filed")).toContainText(/PR-\d{4}-/);

  // A bad signature is refused next to its field.
  await open(page, "/data/profile");
  await page.getByLabel("What's up").fill("x".repeat(31));
  await page.getByTestId("save").click();
  await expect(page.getByTestId("signature-error")).not.toBeEmpty();
});

test("the mobile number changes only after the password is entered again", async ({ page }) => {
  await signIn(page, DEMO.holder, "/home");
  await openCategory(page, "account_security");
  await page.getByLabel("Mobile number", { exact: true }).fill("+8613700009999");
  await page.getByTestId("save").click();
  const prompt = page.getByTestId("correction-form").getByTestId("reauth");
  await expect(prompt).toBeVisible();
  await prompt.getByLabel("Enter your password again to continue").fill(DEMO.holder.password);
  await prompt.getByTestId("reauth-submit").click();
  await expect(prompt).toContainText("within 5 minutes");
  // A contact's name typed before the save survives the page's reload after it.
  const contact = page.getByTestId("contact-form");
  await contact.getByLabel("Name").fill("周婷 Zhou Ting");
  await page.getByTestId("save").click();
  await expect(page.getByTestId("saved")).toBeVisible();
  await expect(page.getByTestId("data-item").first()).toContainText("+8613700009999");
  await expect(contact.getByLabel("Name")).toHaveValue("周婷 Zhou Ting");
  // An emergency contact, inside the same window; a bad number is refused next to its field.
  await contact.getByLabel(/Their mobile number/).fill("12345");
  await contact.getByTestId("add-contact").click();
  await expect(contact.getByRole("alert").first()).toContainText("international form");
  await contact.getByLabel(/Their mobile number/).fill("+8613912340000");
  await contact.getByTestId("add-contact").click();
  await expect(page.getByTestId("data-item").filter({ hasText: "周婷 Zhou Ting" })).toBeVisible();
  await expect(contact.getByLabel("Name")).toHaveValue("");
  await snap(page, "data-account-security-en");
});

test("the holder deletes a post and a message after confirming", async ({ page }) => {
  await signIn(page, DEMO.holder, "/home");
  for (const category of ["posts", "messages"]) {
    await openCategory(page, category);
    const item = page.getByTestId("data-item").first();
    const id = await item.getAttribute("data-id");
    await item.getByTestId("delete").click();
    await expect(item.getByTestId("confirm-delete")).toBeVisible();
    await snap(page, `data-${category}-confirm-en`);
    await item.getByTestId("confirm-delete").click();
    await expect(page.locator(`[data-id="${id}"]`)).toHaveCount(0);
  }
  await openCategory(page, "activity");
  await expect(page.getByTestId("data-item").first()).toContainText("Deleted");
});

test("the holder changes a privacy setting", async ({ page }) => {
  await signIn(page, DEMO.holder, "/home");
  await openCategory(page, "settings");
  await page.getByTestId("setting-posts_window").selectOption("all");
  await page.getByTestId("setting-find_by_mobile").uncheck();
  await page.getByTestId("setting-strangers_see_recent").check();
  await page.getByTestId("save-settings").click();
  await expect(page.getByTestId("saved")).toBeVisible();
  await open(page, "/data/settings");
  await expect(page.getByTestId("setting-posts_window")).toHaveValue("all");
  await expect(page.getByTestId("setting-find_by_mobile")).not.toBeChecked();
  await expect(page.getByTestId("setting-strangers_see_recent")).toBeChecked();
  await snap(page, "data-settings-en");
  // Applied: a stranger now sees the ten most recent posts.
  await openCategory(page, "posts");
  await page.getByTestId("posts-preview").locator("summary").click();
  await page.getByTestId("preview-viewer").selectOption("stranger");
  await expect(page.getByTestId("preview-count")).toContainText("10");
});

test("the data pages read in Chinese", async ({ page }) => {
  await signIn(page, DEMO.holder, "/home");
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await open(page, "/data");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的数据");
  await snap(page, "data-overview-zh");
  await openCategory(page, "profile");
  await expect(page.getByText("微信号")).toBeVisible();
  await expectAccessible(page);
  await snap(page, "data-profile-zh");
  await openCategory(page, "settings");
  await snap(page, "data-settings-zh");
  await openCategory(page, "posts");
  await snap(page, "data-posts-zh");
});

test("someone signed out is asked to sign in", async ({ page }) => {
  const response = await page.goto("/data/posts");
  expect(response?.status()).toBe(401);
  await expect(page.getByTestId("sign-in-required")).toBeVisible();
});
