import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// The union's back office as people use it. The signal studio's admin asks for 省级 with evidence:
// the request waits and the studio stays 企业级 until a coordinator approves it from 审核. A site
// admin turns content review on; a member publishes a result, which an anonymous visitor can neither
// open nor find; the coordinator approves it from the same queue, and the visitor finds it.
// Screenshots of the queue at 1280 and 390 wide, zh and en, go to /tmp/shots-review/.

const PASSWORD = "demo-password-2026";
const SHOTS = process.env.REVIEW_SHOTS ?? "/tmp/shots-review";
const TITLE = "列车司机应急处置情景训练卡";

async function accessibilityProblems(page: Page) {
  const r = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function signedIn(browser: Browser, email: string) {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: "退出" })).toBeVisible();
  return page;
}

async function shoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The search page's result titles for a query, as an anonymous visitor sees them. */
async function searchTitles(page: Page, q: string) {
  await page.goto(`/search?q=${encodeURIComponent(q)}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  return page.getByRole("main").getByRole("link", { name: TITLE });
}

test.describe("recognition and review", () => {
  // the visitor's 404 for the waiting result is logged by the browser as a failed load
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test("a level change waits for a coordinator; with review on, a new result is hidden until approved", async ({ page, browser }) => {
    test.setTimeout(150_000);
    // —— the studio admin asks for 省级 ——
    const admin = await signedIn(browser, "signal-admin@demo.example");
    await admin.goto("/studios/metro-signal");
    await admin.getByRole("link", { name: "申请变更" }).click();
    await expect(admin.getByRole("heading", { level: 1, name: "认定：级别与荣誉" })).toBeVisible();
    await admin.getByRole("combobox", { name: "级别" }).selectOption({ label: "省级" });
    await admin.getByLabel("证明材料说明").fill("河南省总工会豫工发〔2026〕8号，命名为省级工匠创新工作室");
    expect(await accessibilityProblems(admin)).toEqual([]);
    await shoot(admin, "recognition-form-zh");
    await admin.getByRole("button", { name: "提交申请" }).click();
    await expect(admin.getByRole("status")).toHaveText("申请已提交，等待协调人审核。");
    await shoot(admin, "recognition-waiting-zh");
    await expect(admin.getByRole("region", { name: "申请记录" })).toContainText("待审核");
    await admin.goto("/studios/metro-signal");
    await expect(admin.getByRole("banner").getByRole("button", { name: "退出" })).toBeVisible();
    const header = admin.getByRole("main").locator("header").first();
    await expect(header).toContainText("企业级");
    await expect(header).not.toContainText("省级");

    // the profile form no longer offers the level
    await admin.goto("/studios/metro-signal/edit");
    await expect(admin.getByRole("combobox", { name: "级别" })).toHaveCount(0);
    await expect(admin.getByText("级别和官方荣誉由协调人认定。")).toBeVisible();

    // —— a site admin turns review on ——
    const siteAdmin = await signedIn(browser, "admin@demo.example");
    await siteAdmin.goto("/admin/settings");
    await siteAdmin.getByRole("checkbox", { name: "内容审核" }).check();
    await siteAdmin.getByRole("button", { name: "保存" }).click();
    await expect(siteAdmin.getByRole("status")).toContainText("已保存");
    await expect(siteAdmin.getByRole("checkbox", { name: "内容审核" })).toBeChecked();
    await shoot(siteAdmin, "settings-review-zh");

    // —— a member publishes a result: it waits ——
    const member = await signedIn(browser, "member@demo.example");
    await member.goto("/studios/xu-xin");
    await member.getByRole("link", { name: "发布新成果" }).click();
    await member.getByLabel("标题").fill(TITLE);
    await member.getByRole("button", { name: /编辑/ }).click();
    await expect(member).toHaveURL(/\/results\/[^/]+\/edit$/);
    const slug = new URL(member.url()).pathname.split("/")[2];
    const editor = member.getByRole("textbox", { name: "正文", exact: true });
    await expect(editor).toHaveAttribute("data-lexical-editor", "true");
    await editor.click();
    await member.keyboard.type("把十二类应急情景做成训练卡，司机在模拟器上逐张演练。");
    await member.getByRole("button", { name: "发布", exact: true }).click();
    await expect(member).toHaveURL(new RegExp(`/results/${slug}\\?published=1$`));
    await expect(member.getByRole("status").filter({ hasText: "待审核" })).toContainText("通过前只有本工作室成员和协调人能看到");

    // —— an anonymous visitor can neither open nor find it ——
    const missing = await page.goto(`/results/${slug}`);
    expect(missing?.status()).toBe(404);
    await expect(await searchTitles(page, "应急处置情景训练卡")).toHaveCount(0);

    // —— the coordinator's queue holds both ——
    const coordinator = await signedIn(browser, "coordinator@demo.example");
    await coordinator.getByRole("banner").getByRole("link", { name: "审核", exact: true }).click();
    await expect(coordinator.getByRole("heading", { level: 1, name: "审核队列" })).toBeVisible();
    const recognition = coordinator.getByRole("region", { name: "认定变更申请" });
    const content = coordinator.getByRole("region", { name: "待审内容" });
    await expect(recognition.getByRole("listitem").filter({ hasText: "郑州地铁信号系统工匠创新工作室" })).toContainText("省级");
    await expect(content.getByRole("listitem").filter({ hasText: TITLE })).toContainText("新发布");
    expect(await accessibilityProblems(coordinator)).toEqual([]);
    await shoot(coordinator, "review-queue-zh");
    await coordinator.getByRole("banner").getByRole("button", { name: "English" }).click();
    await expect(coordinator.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();
    await expect(coordinator.getByRole("region", { name: "Recognition requests" })).toContainText("Provincial");
    expect(await accessibilityProblems(coordinator)).toEqual([]);
    await shoot(coordinator, "review-queue-en");
    await coordinator.getByRole("banner").getByRole("button", { name: "中文" }).click();
    await expect(coordinator.getByRole("heading", { level: 1, name: "审核队列" })).toBeVisible();

    // returning without a reason is refused, on the card
    const card = content.getByRole("listitem").filter({ hasText: TITLE });
    await card.getByRole("button", { name: "退回" }).click();
    await expect(coordinator.getByRole("region", { name: "待审内容" }).getByText("退回时请写明理由。")).toBeVisible();

    // approve the level change: the studio shows 省级
    await recognition.getByRole("listitem").filter({ hasText: "郑州地铁信号系统工匠创新工作室" }).getByRole("button", { name: "通过" }).click();
    await expect(coordinator.getByRole("status")).toHaveText("已通过。");
    await page.goto("/studios/metro-signal");
    await expect(page.getByRole("main").locator("header").first()).toContainText("省级");

    // approve the result: the visitor opens and finds it
    await coordinator.getByRole("region", { name: "待审内容" }).getByRole("listitem").filter({ hasText: TITLE }).getByRole("button", { name: "通过" }).click();
    await expect(coordinator.getByRole("status")).toHaveText("已通过。");
    await expect(coordinator.getByText("没有待处理的事项。")).toBeVisible();
    const found = await page.goto(`/results/${slug}`);
    expect(found?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
    await expect(await searchTitles(page, "应急处置情景训练卡")).toHaveCount(1);

    // the member hears of it
    await member.goto("/inbox");
    await expect(member.getByRole("main")).toContainText(`审核通过，已公开：${TITLE}`);

    // —— a change to the published result waits while the published version stays ——
    const REVISED = `${TITLE}（修订版）`;
    await member.goto(`/results/${slug}/edit`);
    await member.getByLabel("标题", { exact: true }).fill(REVISED);
    await member.getByRole("button", { name: "发布修改", exact: true }).click();
    await expect(member.getByRole("status").filter({ hasText: "待审核" })).toContainText("你们的修改正在等待审核");
    await page.goto(`/results/${slug}`);
    await expect(page.getByRole("heading", { level: 1, name: TITLE, exact: true })).toBeVisible();
    await coordinator.goto("/review");
    const change = coordinator.getByRole("region", { name: "待审内容" }).getByRole("listitem").filter({ hasText: REVISED });
    await expect(change.getByRole("table", { name: "修改内容" }).getByRole("row", { name: /标题/ })).toContainText(REVISED);
    await shoot(coordinator, "review-change-zh");
    await change.getByRole("button", { name: "通过" }).click();
    await expect(coordinator.getByRole("status")).toHaveText("已通过。");
    await page.goto(`/results/${slug}`);
    await expect(page.getByRole("heading", { level: 1, name: REVISED })).toBeVisible();

    // —— the studio's admin reads the outcome on the recognition page, in English too ——
    await admin.goto("/studios/metro-signal/recognition");
    await expect(admin.getByRole("region", { name: "申请记录" })).toContainText("已通过");
    await admin.getByRole("banner").getByRole("button", { name: "English" }).click();
    await expect(admin.getByRole("heading", { level: 1, name: "Recognition: level and honours" })).toBeVisible();
    await shoot(admin, "recognition-en");
  });

  test("a studio applies to join; returned with a reason, the form comes back filled in", async ({ browser }) => {
    test.setTimeout(120_000);
    const applicant = await signedIn(browser, "enterprise@demo.example");
    await applicant.goto("/studios");
    await applicant.getByRole("link", { name: "申报入驻" }).click();
    await expect(applicant.getByRole("heading", { level: 1, name: "工作室入驻申报" })).toBeVisible();
    await applicant.getByLabel("工作室名称").fill("博远轴承精密检测工匠创新工作室");
    await applicant.getByLabel("所属企业").selectOption({ label: "郑州博远轴承有限公司" });
    await applicant.getByLabel("领衔人").fill("何建华");
    await applicant.getByLabel("申报级别").selectOption({ label: "市级" });
    await applicant.getByLabel("专长").fill("轴承检测，机器视觉");
    await applicant.getByLabel("工作室简介").fill("工作室专注轴承套圈精密检测与缺陷识别。");
    expect(await accessibilityProblems(applicant)).toEqual([]);
    await shoot(applicant, "apply-form-zh");
    await applicant.getByRole("button", { name: "提交申报" }).click();
    await expect(applicant.getByRole("status")).toHaveText("申报已提交，等待协调人审核。");

    const coordinator = await signedIn(browser, "coordinator@demo.example");
    await coordinator.goto("/review");
    const card = coordinator.getByRole("region", { name: "入驻申报" }).getByRole("listitem").filter({ hasText: "博远轴承精密检测工匠创新工作室" });
    await card.getByLabel("退回理由").fill("请上传市总工会的命名文件");
    await card.getByRole("button", { name: "退回" }).click();
    await expect(coordinator.getByRole("status")).toHaveText("已退回，提交人会收到通知。");

    await applicant.goto("/apply");
    await expect(applicant.getByRole("status")).toContainText("请上传市总工会的命名文件");
    await expect(applicant.getByLabel("工作室名称")).toHaveValue("博远轴承精密检测工匠创新工作室");
    await expect(applicant.getByRole("button", { name: "修改后重新提交" })).toBeVisible();
    await shoot(applicant, "apply-returned-zh");
    await applicant.getByRole("banner").getByRole("button", { name: "English" }).click();
    await expect(applicant.getByRole("heading", { level: 1, name: "Apply to join the hub" })).toBeVisible();
    await shoot(applicant, "apply-returned-en");
  });
});
