import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// The honours list of the talent base, kept by a site admin at /admin/honours: they add an honour,
// rename it and raise its level, retire it, and find each change in the audit log. The people
// directory offers the honour as a filter while it is live and not once it is retired. Screenshots
// at 1280 and 390 wide, zh and en, go to /tmp/shots-admin-honours/.

const SHOTS = process.env.HONOURS_SHOTS ?? "/tmp/shots-admin-honours";

async function shoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function accessibilityProblems(page: Page) {
  const r = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("a site admin adds, renames, re-levels and retires an honour; the directory and the audit log follow", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill("admin@demo.example");
  await page.getByLabel("密码", { exact: true }).fill("demo-password-2026");
  await page.getByRole("main").getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: "退出" })).toBeVisible();

  await page.goto("/admin");
  await page.getByRole("main").getByRole("link", { name: "荣誉名录", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "荣誉名录" })).toBeVisible();

  const add = page.getByRole("region", { name: "新增荣誉" });
  await add.getByRole("textbox", { name: "中文名称" }).fill("郑州市技术能手");
  await add.getByRole("textbox", { name: "英文名称" }).fill("Zhengzhou Technical Expert");
  await add.getByRole("combobox", { name: "级别" }).selectOption({ label: "市级" });
  await add.getByRole("button", { name: "新增" }).click();
  await expect(page.getByRole("status")).toHaveText("已新增荣誉“郑州市技术能手”。");

  await page.goto("/people");
  await expect(page.getByRole("combobox", { name: "荣誉", exact: true }).getByRole("option", { name: "郑州市技术能手" })).toHaveCount(1);

  await page.goto("/admin/honours");
  const row = page.getByRole("listitem").filter({ hasText: "郑州市技术能手" });
  await row.getByText("修改“郑州市技术能手”").click();
  await row.getByRole("textbox", { name: "中文名称" }).fill("河南省技术能手");
  await row.getByRole("textbox", { name: "英文名称" }).fill("Henan Technical Expert");
  await row.getByRole("combobox", { name: "级别" }).selectOption({ label: "省级" });
  await row.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toHaveText("已保存荣誉“河南省技术能手”。");
  await expect(page.getByRole("listitem").filter({ hasText: "河南省技术能手" })).toContainText("省级");
  expect(await accessibilityProblems(page)).toEqual([]);
  await shoot(page, "admin-honours-zh");

  await page.getByRole("button", { name: "停用荣誉“河南省技术能手”" }).click();
  await expect(page.getByRole("status")).toHaveText("已停用荣誉“河南省技术能手”。");
  await expect(page.getByRole("listitem").filter({ hasText: "河南省技术能手" })).toContainText("已停用");
  await page.goto("/people");
  await expect(page.getByRole("combobox", { name: "荣誉", exact: true }).getByRole("option", { name: "河南省技术能手" })).toHaveCount(0);

  await page.goto("/admin/audit");
  for (const label of ["新增荣誉", "荣誉改名", "修改荣誉级别", "停用荣誉"]) await expect(page.getByRole("main")).toContainText(label);
  await expect(page.getByRole("main")).toContainText("级别：市级 → 省级");

  await page.getByRole("banner").getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
  await page.goto("/admin/honours");
  await expect(page.getByRole("heading", { level: 1, name: "Honours list" })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Henan Technical Expert" })).toContainText("Retired");
  await shoot(page, "admin-honours-en");
});
