import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { NOT_FOUND_CONSOLE, expect, test } from "./fixtures";

// An axe-core scan (WCAG 2.0/2.1 A and AA) of every main page, in Chinese and in English. A
// serious or critical violation fails the test, and the message says what and where.

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

type AxeResults = Awaited<ReturnType<AxeBuilder["analyze"]>>;

async function scan(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

function describeViolations(violations: AxeResults["violations"]) {
  return violations
    .map((v) => {
      const where = v.nodes.map((n) => `    ${n.target.join(" ")}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, " ")}` : ""}`);
      return `${v.id} [${v.impact}] ${v.help} (${v.helpUrl})\n${where.join("\n")}`;
    })
    .join("\n");
}

async function expectNoSeriousViolations(page: Page) {
  const serious = await scan(page);
  expect(serious, `axe found serious or critical violations on ${page.url()}:\n${describeViolations(serious)}`).toEqual([]);
}

// path, and the h1 that proves the right page loaded (zh, en)
const PAGES: { name: string; path: string; h1: [string, string]; en?: boolean }[] = [
  { name: "home", path: "/", h1: ["劳模工匠创新工作室联盟", "Model-worker and craftsman innovation studios"], en: true },
  { name: "studio directory", path: "/studios", h1: ["工作室目录", "Studio directory"], en: true },
  { name: "studio page", path: "/studios/xu-xin", h1: ["徐欣创新工作室", "徐欣创新工作室"], en: true },
  { name: "illustrative studio page", path: "/studios/metro-signal", h1: ["郑州地铁信号系统工匠创新工作室", "郑州地铁信号系统工匠创新工作室"] },
  { name: "results list", path: "/results", h1: ["成果库", "Results"], en: true },
  { name: "result page", path: "/results/hmi-simulation-software", h1: ["HMI仿真软件", "HMI仿真软件"], en: true },
  { name: "patents list", path: "/patents", h1: ["专利", "Patents"], en: true },
  { name: "patent page", path: "/patents/tbm-cutter-wear-monitoring-device", h1: ["一种盾构机刀盘滚刀磨损监测装置", "一种盾构机刀盘滚刀磨损监测装置"] },
  { name: "needs list", path: "/needs", h1: ["企业需求库", "Enterprise needs"], en: true },
  { name: "need page", path: "/needs/switch-room-smart-inspection", h1: ["厂区配电房智能巡检与安全隐患排查", "厂区配电房智能巡检与安全隐患排查"] },
  { name: "enterprises list", path: "/enterprises", h1: ["企业", "Enterprises"], en: true },
  { name: "enterprise page", path: "/enterprises/zhengzhou-ditie-jituan", h1: ["郑州地铁集团有限公司", "郑州地铁集团有限公司"] },
  { name: "login", path: "/login", h1: ["登录", "Log in"], en: true },
  { name: "forgot password", path: "/forgot-password", h1: ["重设密码", "Reset your password"], en: true },
];

test.describe("in Chinese", () => {
  for (const p of PAGES) {
    test(`${p.name} (${p.path})`, async ({ page }) => {
      await page.goto(p.path);
      await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(p.h1[0]);
      await expectNoSeriousViolations(page);
    });
  }

  test.describe(() => {
    test.use({ allowedConsoleErrors: NOT_FOUND_CONSOLE });
    test("404 page with suggestions (/studios/xu-xi)", async ({ page }) => {
      const response = await page.goto("/studios/xu-xi");
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("找不到这个页面");
      await expect(page.getByRole("link", { name: "徐欣创新工作室" })).toBeVisible();
      await expectNoSeriousViolations(page);
    });
  });
});

test.describe("in English", () => {
  test.use({ locale: "en-US" });
  for (const p of PAGES.filter((x) => x.en)) {
    test(`${p.name} (${p.path})`, async ({ page }) => {
      await page.goto(p.path);
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(p.h1[1]);
      await expectNoSeriousViolations(page);
    });
  }

  test.describe(() => {
    test.use({ allowedConsoleErrors: NOT_FOUND_CONSOLE });
    test("404 page (/no-such-page)", async ({ page }) => {
      const response = await page.goto("/no-such-page");
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
      await expectNoSeriousViolations(page);
    });
  });
});

test.describe("phone width", () => {
  test.use({ viewport: { width: 390, height: 844 } });
  for (const path of ["/", "/studios", "/studios/xu-xin", "/results/hmi-simulation-software"]) {
    test(`${path} at 390 px`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoSeriousViolations(page);
    });
  }
});

// Guards the guard: the same scan does report a real problem, so a passing scan means something.
// The faults go into the studio's rich text, which React renders as HTML and leaves alone on
// hydration, so they cannot be swept away before the scan.
test("the scan catches an image without alt text and unreadable text", async ({ page }) => {
  await page.goto("/studios/xu-xin");
  await page.getByRole("region", { name: "工作室简介" }).evaluate((profile) => {
    const richText = profile.lastElementChild as HTMLElement;
    const img = document.createElement("img");
    img.src = "/favicon.svg";
    const faint = document.createElement("p");
    faint.textContent = "几乎看不见的文字";
    faint.style.color = "#f4f2f0";
    richText.append(img, faint);
  });
  const ids = (await scan(page)).map((v) => v.id);
  expect(ids).toContain("image-alt");
  expect(ids).toContain("color-contrast");
});
