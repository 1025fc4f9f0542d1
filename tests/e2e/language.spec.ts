import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// The interface is Chinese first, with English: a form POST to /language keeps the choice in a
// `lang` cookie; without the cookie the browser's Accept-Language decides. Content (studio
// names, results) stays in the language it was written in.

const html = (page: Page) => page.locator("html");

async function expectChinese(page: Page) {
  await expect(html(page)).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "工作室" })).toBeVisible();
  await expect(page.getByRole("button", { name: "中文" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "false");
}

async function expectEnglish(page: Page) {
  await expect(html(page)).toHaveAttribute("lang", "en");
  await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Studios" })).toBeVisible();
  await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("button", { name: "中文" })).toHaveAttribute("aria-pressed", "false");
}

test("Chinese by default; English keeps the page, its filters and the Chinese content", async ({ page, context }) => {
  await page.goto("/studios?industry=rail-transit");
  await expectChinese(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作室目录");
  await expect(page).toHaveTitle(/工作室目录/);

  await page.getByRole("button", { name: "English" }).click();
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Studio directory");
  await expect(page).toHaveTitle(/Studio directory/);
  // same path and query: the filter survives the switch
  expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe("/studios?industry=rail-transit");
  await expect(page.getByLabel("Industry")).toHaveValue("rail-transit");
  await expect(page.getByRole("status")).toHaveText("3 studios");
  // the interface is translated, the content is not
  await expect(page.getByRole("link", { name: "徐欣创新工作室" })).toBeVisible();
  await expect(page.getByRole("link", { name: "郑州地铁信号系统工匠创新工作室" })).toBeVisible();
  expect((await context.cookies()).map((c) => c.name)).toContain("lang");

  // the cookie keeps English on the next page, and after a reload
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Results" }).click();
  await expect(page).toHaveURL(/\/results$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Results");
  await expectEnglish(page);
  await page.reload();
  await expectEnglish(page);

  await page.getByRole("button", { name: "中文" }).click();
  await expectChinese(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("成果库");
  await expect(page).toHaveURL(/\/results$/);
});

test("a studio page in English: translated labels around Chinese content", async ({ page }) => {
  await page.goto("/studios/xu-xin");
  await page.getByRole("button", { name: "English" }).click();
  await expectEnglish(page);
  await expect(page).toHaveURL(/\/studios\/xu-xin$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("徐欣创新工作室");
  await expect(page.getByRole("heading", { level: 2, name: "Profile" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: /^Results \(\d+\)$/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "HMI仿真软件" })).toBeVisible();
});

test.describe("a browser that prefers English", () => {
  test.use({ locale: "en-US" });

  test("gets English on the first visit, without a cookie, and can still choose Chinese", async ({ page, context }) => {
    expect(await context.cookies()).toEqual([]);
    await page.goto("/");
    await expectEnglish(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Model-worker and craftsman innovation studios");

    // an explicit choice wins over Accept-Language
    await page.getByRole("button", { name: "中文" }).click();
    await expectChinese(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("劳模工匠创新工作室联盟");
    await page.goto("/studios");
    await expectChinese(page);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the language switch is a plain form: POST, redirect back to the same address", async ({ page }) => {
    await page.goto("/studios?industry=rail-transit");
    await expectChinese(page);

    const post = page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/language");
    await page.getByRole("button", { name: "English" }).click();
    const request = await post;
    expect(request.isNavigationRequest()).toBe(true); // a real form submission, not a fetch
    await expect(page).toHaveURL(/\/studios\?industry=rail-transit$/);
    await expectEnglish(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Studio directory");
    await expect(page.getByRole("status")).toHaveText("3 studios");

    await page.getByRole("button", { name: "中文" }).click();
    await expect(page).toHaveURL(/\/studios\?industry=rail-transit$/);
    await expectChinese(page);
    await expect(page.getByRole("status")).toHaveText("共 3 个工作室");
  });
});

test("the interface strings come once per language as a script cached for a year, not with every page", async ({ page, request }) => {
  const catalogues: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/i18n/")) catalogues.push(new URL(r.url()).pathname);
  });
  await page.goto("/studios");
  await expectChinese(page);
  expect(catalogues).toHaveLength(1);
  expect(catalogues[0]).toMatch(/^\/i18n\/zh-CN\.[\w-]+\.js$/);
  const script = await request.get(catalogues[0]);
  expect(script.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect(await script.text()).toContain("工作室目录");
  // the page's own HTML no longer carries the catalogue: its keys appear nowhere in it
  const html = await (await request.get("/studios")).text();
  expect(html).toContain("工作室目录");
  expect(html).not.toContain("home.path.engineer.cta");
  expect(html).not.toContain("nav.skip");
  // a client-side navigation renders its strings from the loaded catalogue
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "成果" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("成果库");
  // an unknown locale or an old version: not found, or today's catalogue not to be kept
  expect((await request.get("/i18n/fr.abc.js")).status()).toBe(404);
  const old = await request.get("/i18n/en.old-version.js");
  expect(old.headers()["cache-control"]).toBe("no-cache");
  expect(await old.text()).toContain("Studio directory");
});
