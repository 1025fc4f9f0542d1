import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// The coordinator's back office, as a new coordinator would use it: they form an alliance and
// invite three studios; one accepts, one declines with a reason the coordinator then reads; the
// coordinator renames the alliance, withdraws the invitation still pending, removes the member
// studio (whose admin finds the notice in the inbox), and dissolves the alliance, after which its
// page says it is read-only and offers no way to change it. Screenshots at 1280 and 390 wide, in
// Chinese and English, go to /tmp/shots-alliance-manage/.

const PASSWORD = "demo-password-2026";
const SHOTS = process.env.ALLIANCE_SHOTS ?? "/tmp/shots-alliance-manage";
const GRID = { slug: "distribution-live-line", name: "配网带电作业劳模创新工作室", admin: "grid-admin@demo.example" };
const SIGNAL = { slug: "metro-signal", name: "郑州地铁信号系统工匠创新工作室", admin: "signal-admin@demo.example" };
const GAS = { slug: "zhongzhou-gas-pipeline", name: "燃气管网智能巡检创新工作室", admin: "gas-admin@demo.example" };

async function logIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: "退出" })).toBeVisible();
}

async function person(browser: Browser, baseURL: string | undefined, email: string) {
  const context = await browser.newContext({ baseURL, locale: "zh-CN" });
  const page = await context.newPage();
  await logIn(page, email);
  return page;
}

/** The rows of the alliance page's member studios (not the activity feed, which names them too). */
const members = (page: Page) => page.getByRole("region", { name: /^(成员工作室|Member studios) \(\d+\)$/ }).getByRole("listitem");

async function shoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.describe("managing an alliance", () => {
  // dissolving without the tick answers 400 and the edit page of a dissolved alliance 409, which
  // the browser logs as failed loads
  test.use({ allowedConsoleErrors: [/status of 40[09]/] });

  test("a coordinator edits the alliance, withdraws an invitation, removes a member and dissolves it", async ({ page, browser, baseURL }) => {
    test.setTimeout(180_000);
    const name = `燃气与配网巡检联盟${Date.now().toString(36).slice(-5)}`;
    const renamed = `${name}（扩容）`;

    await test.step("the coordinator forms the alliance and invites three studios", async () => {
      await logIn(page, "coordinator@demo.example");
      await page.goto(`/alliances/new?theme=${encodeURIComponent("智能巡检")}&invite=${GRID.slug}&invite=${SIGNAL.slug}&invite=${GAS.slug}`);
      await page.getByLabel("联盟名称").fill(name);
      const charter = page.getByRole("textbox", { name: "联盟章程", exact: true });
      await charter.click();
      await page.keyboard.type("成员共享巡检点位库，每季度交流一次。");
      await page.getByRole("button", { name: "创建联盟并发出邀请" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    });
    const allianceUrl = new URL(page.url()).pathname;

    await test.step("the grid studio accepts; the gas studio declines and says why", async () => {
      const grid = await person(browser, baseURL, GRID.admin);
      await grid.goto(allianceUrl);
      await grid.getByRole("button", { name: `接受邀请 · ${GRID.name}` }).click();
      await expect(grid.getByText(`${GRID.name}收到了加入本联盟的邀请。`)).toHaveCount(0);
      await grid.context().close();
      const gas = await person(browser, baseURL, GAS.admin);
      await gas.goto(allianceUrl);
      await gas.getByLabel("谢绝理由（可选）").fill("今年巡检人手紧张，明年再议");
      await gas.getByRole("button", { name: `谢绝 · ${GAS.name}` }).click();
      await expect(gas.getByText(`${GAS.name}收到了加入本联盟的邀请。`)).toHaveCount(0);
      await gas.context().close();
    });

    await test.step("the coordinator reads the reason and renames the alliance", async () => {
      await page.goto(allianceUrl);
      await expect(members(page).filter({ hasText: GAS.name })).toContainText("理由：今年巡检人手紧张，明年再议");
      await page.getByRole("link", { name: "管理联盟" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("编辑联盟");
      await shoot(page, "alliance-edit-zh");
      await page.getByLabel("联盟名称").fill(renamed);
      await page.getByRole("button", { name: "保存修改" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(renamed);
      await expect(page.getByRole("status").filter({ hasText: "联盟资料已保存。" })).toBeVisible();
    });

    await test.step("the coordinator withdraws the pending invitation and removes the member studio", async () => {
      await page.getByRole("button", { name: `撤回邀请 · ${SIGNAL.name}` }).click();
      await expect(page.getByRole("status").filter({ hasText: `已撤回对${SIGNAL.name}的邀请。` })).toBeVisible();
      await expect(members(page).filter({ hasText: SIGNAL.name })).toContainText("邀请已撤回");
      await page.getByRole("button", { name: `移出联盟 · ${GRID.name}` }).click();
      await expect(page.getByRole("status").filter({ hasText: `已将${GRID.name}移出联盟。` })).toBeVisible();
      await expect(members(page).filter({ hasText: GRID.name })).toContainText("已被移出");
      await expect(page.getByText("0 个工作室 · 0 家企业 · 0 个联合项目")).toBeVisible();
      await shoot(page, "alliance-managed-zh");
      const grid = await person(browser, baseURL, GRID.admin);
      await grid.goto("/inbox");
      await expect(grid.getByRole("button", { name: `${GRID.name}已被移出联盟“${renamed}”` })).toBeVisible();
      await grid.context().close();
    });

    await test.step("in English: the managed page and the edit page", async () => {
      await page.getByRole("banner").getByRole("button", { name: "English" }).click();
      await expect(page.getByRole("banner").getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
      await page.goto(allianceUrl);
      await expect(members(page).filter({ hasText: SIGNAL.name })).toContainText("Invitation withdrawn");
      await expect(members(page).filter({ hasText: GAS.name })).toContainText("Reason: 今年巡检人手紧张，明年再议");
      await shoot(page, "alliance-managed-en");
      await page.getByRole("link", { name: "Manage the alliance" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Edit the alliance");
      await shoot(page, "alliance-edit-en");
    });

    await test.step("dissolving asks for a tick, then leaves the alliance read-only", async () => {
      await page.getByRole("button", { name: "Dissolve the alliance" }).click();
      await expect(page.getByText("Tick the box to confirm first.")).toBeVisible();
      await page.getByRole("checkbox", { name: "I am sure: dissolve this alliance" }).check();
      await page.getByRole("button", { name: "Dissolve the alliance" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(renamed);
      await expect(page.getByText(/^This alliance was dissolved on \d{4}-\d{2}-\d{2}; the page is read-only\.$/)).toBeVisible();
      await expect(page.getByRole("link", { name: "Manage the alliance" })).toHaveCount(0);
      await expect(page.getByRole("heading", { name: "Invite studios" })).toHaveCount(0);
      await shoot(page, "alliance-dissolved-en");
      await page.getByRole("banner").getByRole("button", { name: "中文" }).click();
      await expect(page.getByRole("banner").getByRole("button", { name: "中文" })).toHaveAttribute("aria-pressed", "true");
      await page.goto(allianceUrl);
      await expect(page.getByText(/^这个联盟已于 \d{4}-\d{2}-\d{2} 解散，页面只读。$/)).toBeVisible();
      await expect(page.getByText("已解散", { exact: true })).toBeVisible();
      await shoot(page, "alliance-dissolved-zh");
      const refused = await page.goto(`${allianceUrl}/edit`);
      expect(refused?.status()).toBe(409);
      await expect(page.getByRole("main")).toContainText("这个联盟已解散，只能查看。");
    });

    await test.step("everyone reads their notices, so the specs after this one start from an empty inbox", async () => {
      for (const who of [page, ...(await Promise.all([GRID, SIGNAL, GAS].map((s) => person(browser, baseURL, s.admin))))]) {
        await who.goto("/inbox");
        const markAll = who.getByRole("button", { name: "全部标为已读" });
        if (await markAll.count()) await markAll.click();
        await expect(who.getByRole("button", { name: "全部标为已读" })).toHaveCount(0);
        if (who !== page) await who.context().close();
      }
    });
  });
});
