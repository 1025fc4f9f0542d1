import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// A site admin opens 搜索设置 from the header, adds the synonym group 轮对 / wheelset, and a search
// for wheelset — which found nothing — finds the wheelset work (served by either of the two server
// processes: the change reaches both through the database). A bad group gets its error and keeps
// what was typed; the group is edited and removed again. Screenshots at desktop and phone width,
// in Chinese and English, go to test-results/synonyms/.

const PASSWORD = "demo-password-2026";
const SHOTS = "test-results/synonyms";

/** axe-core's serious and critical WCAG 2.1 AA findings, as "rule: targets" lines. */
async function accessibilityProblems(page: Page) {
  const r = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function logIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: "退出" })).toBeVisible();
}

/** The search page for q, and how many documents it found (from the API, as the same server answers it). */
async function resultCount(page: Page, q: string) {
  await page.goto(`/search?q=${encodeURIComponent(q)}`);
  const res = await page.request.get(`/api/search?q=${encodeURIComponent(q)}`);
  return ((await res.json()) as { total: number }).total;
}

test.describe("site admin", () => {
  // a refused form answers 400, which the browser logs as a failed load
  test.use({ allowedConsoleErrors: [/status of 400/] });
  test("a site admin adds a synonym group and the next search finds what it did not", async ({ page }) => {
    await logIn(page, "admin@demo.example");
    expect(await resultCount(page, "wheelset")).toBe(0);
    await expect(page.getByRole("main")).toContainText("wheelset");

    await page.getByRole("banner").getByRole("link", { name: "搜索设置" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "搜索同义词" })).toBeVisible();
    await expect(page.getByText("还没有本站自己的同义词组。")).toBeVisible();

    // a group of one word: the error names it, and the word stays in the field
    const add = page.getByRole("textbox", { name: "同义词", exact: true });
    await add.fill("wheelset");
    await page.getByRole("button", { name: "添加", exact: true }).click();
    await expect(page.getByText("只有一个词“wheelset”：一组同义词至少要有两个词。")).toBeVisible();
    await expect(page.getByRole("textbox", { name: "同义词", exact: true })).toHaveValue("wheelset");
    await expect(page.getByRole("textbox", { name: "同义词", exact: true })).toHaveAttribute("aria-invalid", "true");

    await page.getByRole("textbox", { name: "同义词", exact: true }).fill("轮对，wheelset");
    await page.getByRole("button", { name: "添加", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText("已添加同义词组：轮对、wheelset");
    await expect(page.getByRole("textbox", { name: "同义词", exact: true })).toHaveValue("");
    await expect(page.getByRole("textbox", { name: "同义词组：轮对、wheelset" })).toHaveValue("轮对、wheelset");
    await expect(page.getByRole("region", { name: "最近的改动" })).toContainText("添加：轮对 / wheelset");
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${SHOTS}/admin-search-zh-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/admin-search-zh-390.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/admin-search-zh-390-top.png` });
    await page.setViewportSize({ width: 1280, height: 900 });

    // the next search, on whichever process answers, finds the wheelset work
    for (let i = 0; i < 4; i++) expect(await resultCount(page, "wheelset")).toBe(3);
    await expect(page.getByRole("main").getByRole("link", { name: "转向架轮对尺寸激光在线检测装置" }).first()).toBeVisible();

    // edited in place, then removed: wheelset finds nothing again
    await page.goto("/admin/search");
    await page.getByRole("textbox", { name: "同义词组：轮对、wheelset" }).fill("轮对、wheel set、wheelsets");
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page.getByRole("status")).toHaveText("已保存同义词组：轮对、wheel set、wheelsets");
    expect(await resultCount(page, "wheelset")).toBe(0);

    // in English too
    await page.goto("/admin/search");
    await page.getByRole("banner").getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Search synonyms" })).toBeVisible();
    await page.getByRole("textbox", { name: "Synonyms", exact: true }).fill("检漏, 检漏");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect(page.getByText("“检漏” appears twice in this group.")).toBeVisible();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/admin-search-en-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/admin-search-en-390.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/admin-search-en-390-top.png` });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole("button", { name: "Remove the synonym group: 轮对, wheel set, wheelsets" }).click();
    await expect(page.getByRole("status")).toHaveText("Removed the synonym group.");
    await expect(page.getByText("This site has no synonym groups of its own yet.")).toBeVisible();
    await page.getByRole("banner").getByRole("button", { name: "中文" }).click();
  });
});

test.describe("not for coordinators", () => {
  test.use({ allowedConsoleErrors: [/status of 403/] });
  test("a coordinator sees no 搜索设置 link and is refused the page", async ({ page }) => {
    await logIn(page, "coordinator@demo.example");
    await expect(page.getByRole("banner").getByRole("link", { name: "搜索设置" })).toHaveCount(0);
    const res = await page.goto("/admin/search");
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1, name: "没有权限" })).toBeVisible();
  });
});
