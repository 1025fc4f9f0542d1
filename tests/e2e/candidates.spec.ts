import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// A coordinator opens a need and sees the studios of other enterprises that can meet it, with their
// reasons and results, and the skills nobody covers — in Chinese and English, on a desktop and on a
// phone. A visitor who is not a coordinator sees the need without them.

const PASSWORD = "demo-password-2026";
const NEED = "bearing-ring-visual-inspection";
const LABELS = {
  "zh-CN": { email: "电子邮箱", password: "密码", login: "登录", logout: "退出", heading: "可承接的工作室" },
  "en-US": { email: "Email", password: "Password", login: "Log in", logout: "Log out", heading: "Studios that can take this on" },
} as const;

async function coordinator(browser: Browser, baseURL: string | undefined, locale: keyof typeof LABELS, width: number): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const l = LABELS[locale];
  await page.goto("/login");
  await page.getByLabel(l.email).fill("coordinator@demo.example");
  await page.getByLabel(l.password, { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: l.login }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: l.logout })).toBeVisible();
  return page;
}

for (const [locale, width] of [
  ["zh-CN", 1280],
  ["zh-CN", 390],
  ["en-US", 1280],
  ["en-US", 390],
] as const) {
  test(`a coordinator sees ranked candidates with reasons (${locale}, ${width} px)`, async ({ browser, baseURL }) => {
    const page = await coordinator(browser, baseURL, locale, width);
    await page.goto(`/needs/${NEED}`);
    const section = page.getByRole("region", { name: LABELS[locale].heading });
    await expect(section).toBeVisible();
    const list = section.getByRole("list", { name: LABELS[locale].heading });
    const first = list.getByRole("listitem").first();
    await expect(first.getByRole("link").first()).toHaveAttribute("href", /^\/studios\//);
    // each candidate says why, in the page's language
    await expect(first.locator(".reasons li").first()).toHaveText(locale === "en-US" ? /[A-Za-z]/ : /[\u4e00-\u9fff]/);
    // nothing spills sideways on a phone
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await section.screenshot({ path: `tests/.tmp/candidates-${locale}-${width}.png` });
    await page.context().close();
  });
}

test("a visitor sees the need without candidates", async ({ page }) => {
  await page.goto(`/needs/${NEED}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: LABELS["zh-CN"].heading })).toHaveCount(0);
});
