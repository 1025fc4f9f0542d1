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
