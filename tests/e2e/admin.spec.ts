import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// Site administration as people use it. A site admin opens 网站管理 from the header, finds the
// demo member in 用户 and makes them an alliance coordinator: the member, signed in all along in
// another browser, can at once open the coordinator-only /alliances/new — no new sign-in (the
// server runs two processes, so the change also crosses processes). The admin then sets the
// footer's ICP number, which every page shows linking to the MIIT registry, and finds both changes
// in the audit log. Screenshots at 1280 and 390 wide, zh and en, go to /tmp/shots-admin/.

const PASSWORD = "demo-password-2026";
const SHOTS = process.env.ADMIN_SHOTS ?? "/tmp/shots-admin";

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

async function signedIn(browser: Browser, email: string) {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await logIn(page, email);
  return { context, page };
}

async function shoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.describe("site administration", () => {
  // the member's refused /alliances/new answers 403, which the browser logs as a failed load
  test.use({ allowedConsoleErrors: [/status of 40[03]/] });

  test("an admin makes a member a coordinator and the member's rights change at once; the footer and the audit log follow", async ({ page, browser }) => {
    test.setTimeout(120_000); // sixteen full-page screenshots
    const member = await signedIn(browser, "member@demo.example");
    const refused = await member.page.goto("/alliances/new");
    expect(refused?.status()).toBe(403);

    await logIn(page, "admin@demo.example");
    await page.getByRole("banner").getByRole("link", { name: "网站管理", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "网站管理", exact: true })).toBeVisible();
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, "admin-index-zh");

    await page.getByRole("main").getByRole("link", { name: "用户", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "用户" })).toBeVisible();
    await page.getByRole("searchbox", { name: "姓名或邮箱" }).fill("member@demo");
    await page.getByRole("button", { name: "查找" }).click();
    await expect(page.getByText("共 1 位用户")).toBeVisible();
    await page.getByRole("combobox", { name: "张工（成员）的角色" }).selectOption({ label: "联盟协调人" });
    await page.getByRole("button", { name: "修改张工（成员）的角色" }).click();
    await expect(page.getByRole("status")).toHaveText("已把张工（成员）的角色改为“联盟协调人”。");
    await expect(page.getByRole("combobox", { name: "张工（成员）的角色" })).toHaveValue("coordinator");
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, "admin-users-zh");

    // the member, in the same session, now gets the coordinator's page (either server process answers)
    for (let i = 0; i < 3; i++) {
      const allowed = await member.page.goto("/alliances/new");
      expect(allowed?.status()).toBe(200);
    }
    await expect(member.page.getByRole("heading", { level: 1 })).toBeVisible();

    // an admin cannot demote themselves: the page says why
    await page.getByRole("searchbox", { name: "姓名或邮箱" }).fill("admin@demo");
    await page.getByRole("button", { name: "查找" }).click();
    await page.getByRole("combobox", { name: "网站管理员的角色", exact: true }).selectOption({ label: "普通用户" });
    await page.getByRole("button", { name: "修改网站管理员的角色", exact: true }).click();
    await expect(page.getByRole("alert")).toHaveText("不能降低或停用你自己的管理员账号。");

    // the footer's ICP number, a bad one first
    await page.goto("/admin/settings");
    await page.getByRole("textbox", { name: "ICP备案号" }).fill("豫ICP备123号");
    await page.getByRole("textbox", { name: "主办单位" }).fill("郑州市总工会");
    await page.getByRole("button", { name: "保存设置" }).click();
    await expect(page.getByText("ICP备案号的格式应如“豫ICP备12345678号-1”", { exact: false })).toBeVisible();
    await expect(page.getByRole("textbox", { name: "主办单位" })).toHaveValue("郑州市总工会");
    await page.getByRole("textbox", { name: "ICP备案号" }).fill("豫ICP备12345678号-1");
    await page.getByRole("button", { name: "保存设置" }).click();
    await expect(page.getByRole("status")).toHaveText("设置已保存，页脚已更新。");
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, "admin-settings-zh");
    for (let i = 0; i < 3; i++) {
      await member.page.goto("/studios");
      const icp = member.page.getByRole("contentinfo").getByRole("link", { name: "豫ICP备12345678号-1" });
      await expect(icp).toHaveAttribute("href", "https://beian.miit.gov.cn/");
      await expect(member.page.getByRole("contentinfo")).toContainText("主办单位：郑州市总工会");
    }

    await page.goto("/admin/audit");
    await expect(page.getByRole("main")).toContainText("修改用户角色");
    await expect(page.getByRole("main")).toContainText("角色：普通用户 → 联盟协调人");
    await page.getByRole("combobox", { name: "操作" }).selectOption({ label: "修改网站设置" });
    await page.getByRole("button", { name: "筛选" }).click();
    await expect(page.getByText("共 2 条记录")).toBeVisible();
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, "admin-audit-zh");
    await page.goto("/admin/enterprises");
    await expect(page.getByRole("heading", { level: 1, name: "企业" })).toBeVisible();
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, "admin-enterprises-zh");

    // the same pages in English
    await page.getByRole("banner").getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("banner").getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
    await page.goto("/admin/audit");
    await expect(page.getByRole("main")).toContainText("Changed a site setting");
    await expect(page.getByRole("main")).not.toContainText("admin.audit");
    await shoot(page, "admin-audit-en");
    await page.goto("/admin/audit");
    await expect(page.getByRole("main")).toContainText("Role: Member → Alliance coordinator");
    for (const [path, name] of [
      ["/admin", "admin-index-en"],
      ["/admin/users", "admin-users-en"],
      ["/admin/settings", "admin-settings-en"],
      ["/admin/enterprises", "admin-enterprises-en"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("contentinfo")).toContainText("Hosted by 郑州市总工会");
      await shoot(page, name);
    }

    // and back: the member loses the coordinator's page as promptly (and the demo member is a member
    // again for the specs that follow)
    await page.goto("/admin/users?q=member%40demo");
    await page.getByRole("combobox", { name: /张工（成员）/ }).selectOption("member");
    await page
      .getByRole("button", { name: /张工（成员）/ })
      .first()
      .click();
    await expect(page.getByRole("combobox", { name: /张工（成员）/ })).toHaveValue("member");
    // the select shows "member" before the save answers: wait for the answer, then try the page
    await expect(page.getByRole("status")).toHaveText("张工（成员） is now “Member”.");
    const again = await member.page.goto("/alliances/new");
    expect(again?.status()).toBe(403);
    await member.context.close();
  });
});
