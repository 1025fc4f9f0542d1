import type { Page } from "@playwright/test";
import { NOT_FOUND_CONSOLE, expect, test } from "./fixtures";

// Pages as a visitor meets them: the 404 page, no JavaScript, example content, a phone, and
// what a search engine or a browser tab shows.

/** A select of the filter form, by its label (a label's text also holds its options: match the name exactly). */
const filter = (page: Page, label: string) => page.getByRole("combobox", { name: label, exact: true });

test.describe("404", () => {
  test.use({ allowedConsoleErrors: NOT_FOUND_CONSOLE });

  test("an unknown studio answers 404 with a way back", async ({ page }) => {
    const response = await page.goto("/studios/no-such-studio");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("找不到这个页面");
    await expect(page).toHaveTitle(/找不到这个页面/);
    const main = page.getByRole("main");
    await expect(main.getByRole("link", { name: "回到首页" })).toHaveAttribute("href", "/");
    await expect(main.getByRole("link", { name: "浏览工作室" })).toHaveAttribute("href", "/studios");
    // nothing close to "no-such-studio": no suggestions offered
    await expect(main.getByText("你是不是要找：")).toHaveCount(0);

    await main.getByRole("link", { name: "浏览工作室" }).click();
    await expect(page).toHaveURL(/\/studios$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作室目录");
  });

  test("a mistyped studio address suggests the studio", async ({ page }) => {
    const response = await page.goto("/studios/xu-xi");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("找不到这个页面");
    await expect(page.getByText("你是不是要找：")).toBeVisible();
    await page.getByRole("main").getByRole("link", { name: "徐欣创新工作室" }).click();
    await expect(page).toHaveURL(/\/studios\/xu-xin$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("徐欣创新工作室");
  });

  test("any unknown address answers 404, with the header and footer", async ({ page }) => {
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("找不到这个页面");
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
    await expect(page.getByRole("main").getByRole("link", { name: "回到首页" })).toBeVisible();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the studio filter form submits as GET and narrows the list", async ({ page }) => {
    await page.goto("/studios");
    await expect(page.getByRole("status")).toHaveText("共 28 个工作室");

    await filter(page, "行业").selectOption({ label: "城市轨道交通" });
    const submitted = page.waitForRequest((r) => r.isNavigationRequest() && new URL(r.url()).pathname === "/studios" && r.url().includes("industry="));
    await page.getByRole("button", { name: "筛选" }).click();
    const request = await submitted;
    expect(request.method()).toBe("GET");
    await expect(page).toHaveURL(/[?&]industry=rail-transit(&|$)/);
    await expect(page.getByRole("status")).toHaveText("共 3 个工作室");
    await expect(page.getByRole("link", { name: "徐欣创新工作室" })).toBeVisible();
    await expect(page.getByRole("link", { name: "车身焊装工匠创新工作室" })).toHaveCount(0);
    // the form shows the filter it applied
    await expect(filter(page, "行业")).toHaveValue("rail-transit");

    // a second filter narrows further
    await filter(page, "级别").selectOption({ label: "省级" });
    await page.getByRole("button", { name: "筛选" }).click();
    await expect(page).toHaveURL(/level=provincial/);
    await expect(page.getByRole("status")).toHaveText("共 1 个工作室");
    await expect(page.getByRole("heading", { level: 2 })).toHaveText(["徐欣创新工作室"]);

    await page.getByRole("link", { name: "清除筛选" }).click();
    await expect(page.getByRole("status")).toHaveText("共 28 个工作室");
  });

  test("links lead from the directory to a studio and on to a result", async ({ page }) => {
    await page.goto("/studios?industry=rail-transit");
    await page.getByRole("link", { name: "徐欣创新工作室" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("徐欣创新工作室");
    await page.getByRole("link", { name: "HMI仿真软件" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("HMI仿真软件");
    await expect(page.getByRole("heading", { level: 2, name: "成效" })).toBeVisible();
  });
});

test.describe("example content", () => {
  // the record's own header: the <header> that holds the page's h1
  const recordHeader = (page: Page) => page.locator("header", { has: page.getByRole("heading", { level: 1 }) });

  test("an illustrative studio carries the 示例 badge and a note", async ({ page }) => {
    await page.goto("/studios/metro-signal");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("郑州地铁信号系统工匠创新工作室");
    const badge = recordHeader(page).getByText("示例", { exact: true });
    await expect(badge).toBeVisible();
    await expect(badge).toHaveAttribute("title", /示例内容/);
    await expect(page.getByRole("note")).toContainText("演示用的示例内容");
  });

  test("the report's studio has no badge in its header, only on its example entries", async ({ page }) => {
    await page.goto("/studios/xu-xin");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("徐欣创新工作室");
    await expect(recordHeader(page)).toBeVisible();
    await expect(recordHeader(page).getByText("示例", { exact: true })).toHaveCount(0);
    await expect(page.getByRole("note")).toHaveCount(0);
    // its results written for the demo are still marked
    const results = page.getByRole("region", { name: /^成果/ });
    await expect(results.getByText("示例", { exact: true }).first()).toBeVisible();
  });

  test("the directory marks example studios and not the report's", async ({ page }) => {
    await page.goto("/studios?industry=rail-transit");
    const card = (name: string) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { name }) });
    await expect(card("郑州地铁信号系统工匠创新工作室").getByText("示例", { exact: true })).toBeVisible();
    await expect(card("徐欣创新工作室")).toBeVisible();
    await expect(card("徐欣创新工作室").getByText("示例", { exact: true })).toHaveCount(0);
  });
});

test.describe("on a phone (390 × 844)", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  async function expectNoHorizontalScroll(page: Page) {
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    expect(scrollWidth, `page is ${scrollWidth}px wide in a ${clientWidth}px window`).toBeLessThanOrEqual(clientWidth);
  }

  /** Every link of the main nav is wholly on screen: none clipped or scrolled out of view. */
  async function expectWholeNavVisible(page: Page, name: string, expected: string[]) {
    const links = page.getByRole("navigation", { name }).getByRole("link");
    await expect(links.first()).toBeVisible();
    const names = await links.allInnerTexts();
    expect(names).toEqual(expect.arrayContaining(expected));
    for (let i = 0; i < names.length; i++) {
      await expect(links.nth(i), `nav link "${names[i]}" should be wholly in view`).toBeInViewport({ ratio: 1 });
    }
  }

  for (const path of ["/studios", "/studios/xu-xin"]) {
    test(`${path}: no horizontal scroll, the whole nav in view`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoHorizontalScroll(page);
      await expectWholeNavVisible(page, "主导航", ["工作室", "成果", "专利", "企业需求", "企业"]);
    });
  }

  test("search results start on the first screen; each facet is a row that scrolls sideways", async ({ page }) => {
    await page.goto("/search?q=%E6%99%BA%E8%83%BD");
    await expectNoHorizontalScroll(page);
    const hits = page.getByRole("list", { name: "搜索结果" });
    await expect(hits.getByRole("link").first()).toBeInViewport();
    const enterprises = page
      .getByRole("complementary", { name: "筛选" })
      .locator("section", { has: page.getByRole("heading", { name: "企业" }) })
      .getByRole("list");
    const [scrollWidth, clientWidth] = await enterprises.evaluate((el) => [el.scrollWidth, el.clientWidth]);
    expect(scrollWidth).toBeGreaterThan(clientWidth);
    await enterprises.getByRole("link").last().scrollIntoViewIfNeeded();
    await expect(enterprises.getByRole("link").last()).toBeInViewport();
  });

  test.describe("in English", () => {
    test.use({ locale: "en-US" });
    for (const path of ["/studios", "/studios/xu-xin"]) {
      test(`${path}: no horizontal scroll, the whole nav in view`, async ({ page }) => {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoHorizontalScroll(page);
        await expectWholeNavVisible(page, "Main navigation", ["Studios", "Results", "Patents", "Needs", "Enterprises"]);
      });
    }
  });

  test("the nav works by tap, and the filters fit", async ({ page }) => {
    await page.goto("/studios");
    await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "企业", exact: true }).tap();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("企业");
    await page.goBack();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作室目录");
    for (const label of ["行业", "级别", "产业类型", "企业", "排序"]) {
      await expect(filter(page, label)).toBeInViewport();
    }
    await expectNoHorizontalScroll(page);
  });
});

test.describe("titles and descriptions", () => {
  const SITE = "劳模工匠创新工作室联盟";
  const PAGES: [path: string, name: string][] = [
    ["/", "劳模工匠创新工作室联盟"],
    ["/studios", "工作室目录"],
    ["/studios/xu-xin", "徐欣创新工作室"],
    ["/results", "成果库"],
    ["/results/hmi-simulation-software", "HMI仿真软件"],
    ["/patents", "专利"],
    ["/patents/tbm-cutter-wear-monitoring-device", "一种盾构机刀盘滚刀磨损监测装置"],
    ["/needs", "企业需求库"],
    ["/needs/switch-room-smart-inspection", "厂区配电房智能巡检与安全隐患排查"],
    ["/enterprises", "企业"],
    ["/enterprises/zhengzhou-ditie-jituan", "郑州地铁集团有限公司"],
  ];

  async function expectTitleAndDescription(page: Page, name: string, site = SITE) {
    const title = await page.title();
    // the site's name as the header shows it; the home page's name is the site's: said once
    expect(title).toBe(name === site ? site : `${name} · ${site}`);
    await expect(page.locator('head meta[name="description"]')).toHaveCount(1);
    const description = await page.locator('head meta[name="description"]').getAttribute("content");
    expect(description?.trim().length ?? 0, "meta description should not be empty").toBeGreaterThan(10);
    return description ?? "";
  }

  for (const [path, name] of PAGES) {
    test(`${path} → ${name}`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
      await expectTitleAndDescription(page, name);
    });
  }

  test("a record's description is drawn from its own text", async ({ page }) => {
    await page.goto("/studios/xu-xin");
    expect(await expectTitleAndDescription(page, "徐欣创新工作室")).toContain("郑州地铁集团有限公司");
    await page.goto("/results/hmi-simulation-software");
    expect(await expectTitleAndDescription(page, "HMI仿真软件")).toContain("节省30%以上需真车实操的培训");
  });

  test.describe(() => {
    test.use({ allowedConsoleErrors: NOT_FOUND_CONSOLE });
    test("the 404 page has a title and a description in the head", async ({ page }) => {
      await page.goto("/studios/no-such-studio");
      await expectTitleAndDescription(page, "找不到这个页面");
      await expect(page.locator("head title")).toHaveCount(1);
      await expect(page.locator("body title")).toHaveCount(0);
    });
  });

  test.describe("in English", () => {
    test.use({ locale: "en-US" });
    test("titles follow the interface language", async ({ page }) => {
      await page.goto("/studios");
      await expectTitleAndDescription(page, "Studio directory", "Studio Alliance Hub");
      await page.goto("/studios/xu-xin");
      await expectTitleAndDescription(page, "徐欣创新工作室", "Studio Alliance Hub");
    });
  });
});
