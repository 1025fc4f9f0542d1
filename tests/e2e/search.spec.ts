import { expect, test } from "./fixtures";

test("type 仿真 in the header box and pick a suggestion", async ({ page }) => {
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "搜索" });
  await box.click();
  await box.pressSequentially("仿真", { delay: 50 });
  const listbox = page.getByRole("listbox", { name: "搜索建议" });
  await expect(listbox).toBeVisible();
  const option = listbox.getByRole("option", { name: /HMI仿真软件/ });
  await expect(option).toBeVisible();
  // the typed word is marked in each suggestion
  await expect(option.locator("mark")).toHaveText("仿真");
  await box.press("ArrowDown");
  await expect(box).toHaveAttribute("aria-activedescendant", /.+/);
  await option.click();
  await expect(page).toHaveURL(/\/results\/hmi-simulation-software$/);
  await expect(page.getByRole("heading", { level: 1, name: "HMI仿真软件" })).toBeVisible();
});

test("search HMI, narrow by industry, open a result, and a shared URL gives the same page", async ({ page, browser }) => {
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "搜索" });
  await box.fill("HMI");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=HMI/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("“HMI”的搜索结果");
  const hits = page.getByRole("list", { name: "搜索结果" });
  await expect(hits.locator("mark").first()).toHaveText(/HMI/i);

  await page.getByRole("complementary", { name: "筛选" }).getByRole("link", { name: "城市轨道交通" }).click();
  await expect(page).toHaveURL(/industry=rail-transit/);
  await expect(page.getByRole("link", { name: /移除条件：城市轨道交通/ })).toBeVisible();
  // the status line is the count alone: how long the engine took is for the API, not for readers
  const count = (await page.getByRole("status").textContent())?.trim();
  expect(count).toMatch(/^找到 \d+ 条结果$/);

  const shared = page.url();
  const other = await browser.newPage();
  await other.goto(shared);
  await expect(other.getByRole("status")).toHaveText(count!);
  await expect(other.getByRole("link", { name: /移除条件：城市轨道交通/ })).toBeVisible();
  await other.close();

  await hits.getByRole("link", { name: "HMI仿真软件" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "HMI仿真软件" })).toBeVisible();
});

test("what is typed before the page's script arrives is kept once it does", async ({ page }) => {
  // hold the page's scripts back, so the box is the server's plain input while the user types
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/build/**/*.js", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto("/", { waitUntil: "commit" });
  const box = page.getByRole("combobox", { name: "搜索" });
  await box.fill("HMI");
  release();
  await page.waitForFunction(() => {
    const el = document.querySelector("input[role=combobox]");
    return !!el && Object.keys(el).some((k) => k.startsWith("__reactFiber"));
  });
  // the box still has the focus: the suggestions for what was typed appear
  await expect(page.getByRole("listbox", { name: "搜索建议" }).getByRole("option").first()).toBeVisible();
  // focusing re-renders the box: a hydrated box that forgot the typed text would empty it here
  await box.focus();
  await expect(box).toHaveValue("HMI");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=HMI/);
});

test("the search box works without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/");
  await page.getByRole("combobox", { name: "搜索" }).fill("排版");
  await page.getByRole("search", { name: "搜索" }).getByRole("button", { name: "搜索" }).click();
  await expect(page.getByRole("list", { name: "搜索结果" }).getByRole("link", { name: /时刻表打印排版转换系统/ })).toBeVisible();
  await context.close();
});

test("an empty search suggests a spelling and related studios", async ({ page }) => {
  await page.goto("/search?q=simulater");
  await expect(page.getByText("你是不是要找：")).toBeVisible();
  await page.goto("/search?q=%E9%87%8F%E5%AD%90%E8%AE%A1%E7%AE%97%E6%9C%BA");
  await expect(page.getByText(/没有找到与“量子计算机”匹配的内容/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "可能相关的工作室" })).toBeVisible();
});

test("a long query whose words no single document holds says its results hold only some of them", async ({ page }) => {
  await page.goto(`/search?q=${encodeURIComponent("时刻表排版 仿真 直播")}`);
  const note = page.getByRole("note");
  await expect(note).toContainText("以下结果只包含部分关键词");
  await expect(note).toContainText("没有找到：");
  await expect(note).toContainText("直播");
  const hits = page.getByRole("list", { name: "搜索结果" });
  await expect(hits.getByRole("link", { name: /时刻表/ }).first()).toBeVisible();
  // each partial hit says which words it lacks
  await expect(
    hits
      .getByRole("listitem")
      .filter({ hasText: /时刻表/ })
      .first(),
  ).toContainText("不含：");
});

test("the header box shows the search page's query, not another page's ?q=", async ({ page }) => {
  await page.goto("/search?q=仿真");
  await expect(page.getByRole("combobox", { name: "搜索" })).toHaveValue("仿真");
  await page.goto("/people?q=member");
  await expect(page.getByRole("combobox", { name: "搜索" })).toHaveValue("");
});
