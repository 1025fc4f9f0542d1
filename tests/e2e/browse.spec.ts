import { mkdirSync } from "node:fs";
import { expect, test } from "./fixtures";

test("home → directory → filter → studio → result", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("劳模工匠创新工作室联盟");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "工作室" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "工作室目录" })).toBeVisible();
  await page.getByLabel("行业").selectOption({ label: "城市轨道交通" });
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/industry=rail-transit/);
  await expect(page.getByRole("status")).toHaveText("共 3 个工作室");
  await page.getByRole("link", { name: "徐欣创新工作室" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "徐欣创新工作室" })).toBeVisible();
  await page.getByRole("link", { name: "HMI仿真软件" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "HMI仿真软件" })).toBeVisible();
  await expect(page.getByText("节省30%以上需真车实操的培训").first()).toBeVisible();
});

test("a list longer than a page: the pager keeps the filter, page 2 follows page 1", async ({ page }) => {
  await page.goto("/results");
  await page.getByLabel("状态").selectOption({ label: "已应用" });
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/status=in-use/);
  const cards = page.locator("ul.cards > li");
  // the filtered list has come: no card of another status
  await expect(cards.locator(".badge.status-piloting, .badge.status-transferred")).toHaveCount(0);
  const total = Number((await page.getByRole("status").textContent())?.match(/共 (\d+) 项成果/)?.[1]);
  expect(total).toBeGreaterThan(24);
  await expect(cards).toHaveCount(24);
  const first = await cards.getByRole("heading").allTextContents();
  const pager = page.getByRole("navigation", { name: "分页" });
  await pager.getByRole("link", { name: "下一页" }).click();
  await expect(page).toHaveURL(/status=in-use&page=2/);
  await expect(pager.locator("[aria-current=page]")).toHaveText("2");
  await expect(page.getByRole("status")).toHaveText(`共 ${total} 项成果`);
  const second = await cards.getByRole("heading").allTextContents();
  expect(second.length).toBe(Math.min(24, total - 24));
  expect(second.filter((t) => first.includes(t))).toEqual([]);
  for (const card of await cards.all()) await expect(card.locator(".badge.status-in-use")).toHaveText("已应用");
  await pager.getByRole("link", { name: "第 1 页" }).click();
  await expect(page).toHaveURL(/status=in-use/);
  await expect(page).not.toHaveURL(/page=/);
  await expect(cards.first().getByRole("heading")).toHaveText(first[0]);

  mkdirSync("/tmp/shots-pager", { recursive: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/results?page=2");
  await expect(page.getByRole("navigation", { name: "分页" }).locator("[aria-current=page]")).toHaveText("2");
  await page.screenshot({ path: "/tmp/shots-pager/results-page2-zh-CN-390.png", fullPage: true });
});
