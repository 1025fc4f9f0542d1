import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// The coordinator's dashboard as a coordinator uses it: from the header link to charts drawn on the
// server, each with the table of its numbers, in Chinese at desktop width and in English on a
// phone; a filter narrows it; print drops the site's chrome. A plain member is refused.
// Screenshots go to /tmp/shots-dashboard/.

const PASSWORD = "demo-password-2026";
const SHOTS = "/tmp/shots-dashboard";

const L = {
  "zh-CN": {
    email: "电子邮箱",
    password: "密码",
    login: "登录",
    logout: "退出",
    nav: "数据看板",
    title: "联盟数据看板",
    print: "打印月报",
    apply: "更新看板",
    industry: "行业",
    charts: ["按级别", "按产业类别", "按行业", "成果按应用状态", "需求漏斗（点单 → 配送 → 接单 → 送技 → 完结）", "每月动态", "送技最多的工作室"],
    tables: ["按级别", "按产业类别", "按行业", "跨企业占比", "需求漏斗（点单 → 配送 → 接单 → 送技 → 完结）", "每月动态"],
    levelRow: "市级",
    forbidden: "没有权限",
  },
  en: {
    email: "Email",
    password: "Password",
    login: "Log in",
    logout: "Log out",
    nav: "Dashboard",
    title: "Alliance dashboard",
    print: "Print monthly report",
    apply: "Update",
    industry: "Industry",
    charts: [
      "By level",
      "By sector",
      "By industry",
      "Results by application status",
      "Needs funnel (posted → dispatched → accepted → delivered → closed)",
      "Activity per month",
      "Studios delivering most",
    ],
    tables: ["By level", "By sector", "By industry", "Cross-enterprise share", "Needs funnel (posted → dispatched → accepted → delivered → closed)", "Activity per month"],
    levelRow: "Municipal",
    forbidden: "Not allowed",
  },
} as const;
type Lang = keyof typeof L;

async function logIn(page: Page, email: string, lang: Lang) {
  const l = L[lang];
  await page.goto("/login");
  await page.getByLabel(l.email).fill(email);
  await page.getByLabel(l.password, { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: l.login }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: l.logout })).toBeVisible();
}

for (const [lang, width] of [
  ["zh-CN", 1280],
  ["en", 390],
  ["zh-CN", 390],
  ["en", 1280],
] as const) {
  test(`a coordinator reads the dashboard (${lang}, ${width}px)`, async ({ browser, baseURL }) => {
    const l = L[lang];
    const context = await browser.newContext({ baseURL, locale: lang, viewport: { width, height: 900 } });
    const page = await context.newPage();
    await logIn(page, "coordinator@demo.example", lang);
    await page.getByRole("banner").getByRole("link", { name: l.nav }).click();
    await expect(page.getByRole("heading", { level: 1, name: l.title })).toBeVisible();

    for (const name of l.charts) await expect(page.getByRole("img", { name, exact: true })).toBeVisible();
    for (const name of l.tables) await expect(page.getByRole("table", { name, exact: true })).toBeVisible();
    // the level table counts the seeded studios; the chart is as wide as the page allows, no wider
    const levels = page.getByRole("table", { name: l.charts[0], exact: true });
    await expect(levels.getByRole("row", { name: new RegExp(`^${l.levelRow} \\d+$`) })).toBeVisible();
    const chart = await page.getByRole("img", { name: l.charts[0], exact: true }).boundingBox();
    expect(chart!.width).toBeLessThanOrEqual(width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await expect(page.getByRole("button", { name: l.print })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/dashboard-${lang}-${width}.png`, fullPage: true });

    // one industry: the URL carries the filter and the page keeps it chosen
    const select = page.getByRole("combobox", { name: l.industry });
    const option = (await select.locator("option").nth(1).getAttribute("value"))!;
    await select.selectOption(option);
    await page.getByRole("button", { name: l.apply }).click();
    await expect(page).toHaveURL(new RegExp(`industry=${option}`));
    await expect(page.getByRole("combobox", { name: l.industry })).toHaveValue(option);

    if (width === 1280) {
      await page.emulateMedia({ media: "print" });
      await expect(page.getByRole("banner")).toBeHidden();
      await expect(page.getByRole("button", { name: l.print })).toBeHidden();
      await expect(page.getByRole("img", { name: l.charts[0], exact: true })).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/dashboard-${lang}-print.png`, fullPage: true });
    }
    await context.close();
  });
}

test.describe("others", () => {
  test.use({ allowedConsoleErrors: [/status of 403/] });
  test("a plain member gets 403 and no dashboard link; an anonymous visitor is sent to log in", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, locale: "zh-CN", viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const anon = await page.goto("/dashboard");
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(anon!.status()).toBe(200);
    await logIn(page, "member@demo.example", "zh-CN");
    await expect(page.getByRole("banner").getByRole("link", { name: L["zh-CN"].nav })).toHaveCount(0);
    const res = await page.goto("/dashboard");
    expect(res!.status()).toBe(403);
    await expect(page.getByRole("heading", { name: L["zh-CN"].forbidden })).toBeVisible();
    await expect(page.getByRole("img", { name: "按级别" })).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/dashboard-member-403.png`, fullPage: true });
    await context.close();
  });
});
