import { mkdirSync } from "node:fs";
import { expect, test } from "./fixtures";

const DEMO_PASSWORD = "demo-password-2026";

// The talent base as a visitor uses it: the directory, a filter, a person's page, and back to the studio.

test("directory → honour-level filter → a person's page → their studio", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "人才库" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "劳模工匠人才库" })).toBeVisible();
  await page.getByLabel("荣誉级别").selectOption({ index: 1 });
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/level=national/);
  await page.getByRole("link", { name: "张铁柱" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "张铁柱" })).toBeVisible();
  await expect(page.getByRole("link", { name: "全国五一劳动奖章" })).toBeVisible();
  await expect(
    page.getByRole("link", { name: "液压支架立柱激光熔覆修复工艺" }).or(
      page
        .getByRole("region", { name: /参与的成果/ })
        .getByRole("link")
        .first(),
    ),
  ).toBeVisible();
  await page.getByRole("navigation", { name: "breadcrumb" }).getByRole("link", { name: "液压支架创新工作室" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "液压支架创新工作室" })).toBeVisible();
  await page.getByRole("link", { name: "李志刚" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "李志刚" })).toBeVisible();
});

test("screenshots of the talent base, desktop and phone, zh and en", async ({ page }) => {
  const dir = "/tmp/shots-people";
  mkdirSync(dir, { recursive: true });
  for (const lang of ["zh-CN", "en"]) {
    if (lang === "en") {
      await page.goto("/people");
      await page.getByRole("button", { name: "English" }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
    }
    for (const [w, h] of [
      [1280, 900],
      [390, 844],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      for (const [name, url] of [
        ["people", "/people"],
        ["person", "/people/zhang-tiezhu"],
      ]) {
        await page.goto(url);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await page.screenshot({ path: `${dir}/${name}-${lang}-${w}.png`, fullPage: w === 1280 });
      }
    }
  }
});

test("a studio admin gives a member skills; the person's page shows them", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill("studio-admin@demo.example");
  await page.getByLabel("密码", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("main").getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/account/);
  await page.goto("/studios/xu-xin");
  await expect(page.getByRole("link", { name: "人员管理" })).toHaveAttribute("href", "/studios/xu-xin/people");
  await page.goto("/studios/xu-xin/people");
  await expect(page.getByRole("heading", { level: 1, name: "人员管理" })).toBeVisible();
  const form = page.getByRole("form", { name: "徐欣" });
  await form.getByLabel("专长").fill("HMI仿真、列车时刻表排版");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("form", { name: "徐欣" }).getByRole("status")).toHaveText("已保存。");
  mkdirSync("/tmp/shots-people", { recursive: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: "/tmp/shots-people/editor-zh-CN-1280.png" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "/tmp/shots-people/editor-zh-CN-390.png" });
  await page.getByRole("form", { name: "徐欣" }).getByRole("link", { name: "查看人员页" }).click();
  await expect(page.getByRole("list", { name: "专长技能" })).toContainText("列车时刻表排版");
});
