import { mkdirSync } from "node:fs";
import { expect, test } from "./fixtures";

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
  await expect(page.getByRole("link", { name: "液压支架立柱激光熔覆修复工艺" }).or(page.getByRole("region", { name: /参与的成果/ }).getByRole("link").first())).toBeVisible();
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
    for (const [w, h] of [[1280, 900], [390, 844]]) {
      await page.setViewportSize({ width: w, height: h });
      for (const [name, url] of [["people", "/people"], ["person", "/people/zhang-tiezhu"]]) {
        await page.goto(url);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await page.screenshot({ path: `${dir}/${name}-${lang}-${w}.png`, fullPage: w === 1280 });
      }
    }
  }
});
