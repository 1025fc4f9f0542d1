import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// The alliance flow as the people in it live it, each in a browser window of their own: the union
// coordinator looks at a studio's cross-enterprise peers, builds a team on the match board from the
// theme 智能巡检, creates an alliance with a charter written in the editor and invites two studios of
// different enterprises; each studio's admin sees the invitation in the inbox and accepts; a studio
// admin proposes a joint project with a milestone; a participant completes the milestone and the
// project, links its outcome to a result and records an adoption by another enterprise; and the
// result's page shows that enterprise and "已被 N 家企业复用". Made alliance-only, the outcome is then
// named nowhere on the project page for a visitor, neither in the HTML nor in its data request.

const PASSWORD = "demo-password-2026";
const GRID = { slug: "distribution-live-line", name: "配网带电作业劳模创新工作室", enterprise: "国网郑州供电公司", admin: "grid-admin@demo.example" };
const SIGNAL = { slug: "metro-signal", name: "郑州地铁信号系统工匠创新工作室", enterprise: "郑州地铁集团有限公司", admin: "signal-admin@demo.example" };
const OUTCOME = { slug: "insulated-bucket-tool-rack", title: "绝缘斗臂车作业工器具快取收纳架" };
const ADOPTER = "郑州中州燃气股份有限公司";

async function logIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: "退出" })).toBeVisible();
}

/** A browser window of its own (own cookies), signed in; its console errors are collected. */
async function person(browser: Browser, baseURL: string | undefined, email: string, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: "zh-CN" });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${email}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${email}: uncaught ${e.message}`));
  await logIn(page, email);
  return page;
}

/** The unread count in the header's 消息 link. */
const unreadBadge = (page: Page) =>
  page
    .getByRole("banner")
    .getByRole("link", { name: /^消息/ })
    .getByLabel(/条未读$/);

test("a coordinator builds a cross-enterprise alliance; its studios run a joint project to an adopted result", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  const allianceName = `智能巡检工作室联盟${Date.now().toString(36).slice(-5)}`;
  const projectTitle = "配电房与轨旁设备联合智能巡检";
  const milestone = "巡检点位与判据梳理";

  await test.step("the coordinator opens a studio's cross-enterprise peers", async () => {
    await logIn(page, "coordinator@demo.example");
    await page.goto(`/studios/${GRID.slug}`);
    const peers = page.getByRole("region", { name: "跨企业同行工作室" });
    const gas = peers.getByRole("listitem").filter({ has: page.getByRole("link", { name: "燃气管网智能巡检创新工作室" }) });
    await expect(gas).toContainText("郑州中州燃气股份有限公司");
    await expect(gas).toContainText("共同专长：智能巡检、无人机巡检");
    // a studio of the same enterprise is never a peer: xu-xin's list holds no other 郑州地铁 studio
    await page.goto("/studios/xu-xin");
    const xuPeers = page.getByRole("region", { name: "跨企业同行工作室" });
    await expect(xuPeers.getByRole("link").first()).toBeVisible();
    await expect(xuPeers).not.toContainText("郑州地铁集团有限公司");
  });

  await test.step("on the match board, the theme 智能巡检 gives a coverage grid; two studios of different enterprises are picked", async () => {
    await page.goto("/match");
    await page.getByRole("searchbox", { name: "主题" }).fill("智能巡检");
    await page.getByRole("button", { name: "查找工作室" }).click();
    await expect(page).toHaveURL(/\/match\?theme=/);
    const grid = page.getByRole("table");
    await expect(grid.getByRole("columnheader", { name: "智能巡检" })).toBeVisible();
    for (const s of [GRID, SIGNAL]) {
      const row = grid.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(s.name) }) });
      await expect(row).toContainText(s.enterprise);
      await expect(row.getByRole("cell").last()).toHaveText("✓");
      await page.getByRole("checkbox", { name: `选中 ${s.name}` }).check();
    }
    await page.getByRole("button", { name: "用选中的工作室组建联盟" }).click();
    await expect(page).toHaveURL(/\/alliances\/new\?/);
  });

  await test.step("the coordinator names the alliance, writes its charter in the editor and invites both", async () => {
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("组建联盟");
    await expect(page.getByLabel("主题")).toHaveValue("智能巡检");
    await page.getByLabel("联盟名称").fill(allianceName);
    for (const s of [GRID, SIGNAL]) await expect(page.getByRole("checkbox", { name: new RegExp(s.name) })).toBeChecked();
    const charter = page.getByRole("textbox", { name: "联盟章程", exact: true });
    await expect(charter).toHaveAttribute("data-lexical-editor", "true");
    await charter.click();
    await page.keyboard.type("联盟成员共享巡检点位库与判据，联合攻关配电房和轨旁信号设备的智能巡检。");
    await page.getByRole("button", { name: "创建联盟并发出邀请" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(allianceName);
    await expect(page.getByRole("region", { name: "联盟章程" })).toContainText("联合攻关配电房和轨旁信号设备的智能巡检");
    for (const s of [GRID, SIGNAL]) await expect(page.getByRole("listitem").filter({ hasText: s.name })).toContainText("已邀请，待答复");
  });
  const allianceUrl = new URL(page.url()).pathname;

  for (const s of [GRID, SIGNAL]) {
    await test.step(`${s.admin} sees the invitation in the inbox and accepts it`, async () => {
      const admin = await person(browser, baseURL, s.admin, errors);
      await expect(unreadBadge(admin)).toHaveText("1");
      await admin.getByRole("banner").getByRole("link", { name: /^消息/ }).click();
      await expect(admin.getByRole("heading", { level: 1 })).toHaveText("消息");
      await admin.getByRole("button", { name: `${s.name}受邀加入联盟“${allianceName}”` }).click();
      await expect(admin).toHaveURL(allianceUrl);
      await expect(unreadBadge(admin)).toHaveCount(0); // opening it marked it read
      await expect(admin.getByText(`${s.name}收到了加入本联盟的邀请。`)).toBeVisible();
      await admin.getByRole("button", { name: `接受邀请 · ${s.name}` }).click();
      // the studio's link is in the members region already (under "invited"), so wait for what
      // accepting changes: the invitation box goes and the studio is no longer awaiting an answer
      await expect(admin.getByText(`${s.name}收到了加入本联盟的邀请。`)).toHaveCount(0);
      await expect(admin.getByRole("listitem").filter({ hasText: s.name }).filter({ hasText: "已邀请，待答复" })).toHaveCount(0);
      await expect(admin.getByRole("region", { name: /^成员工作室/ }).getByRole("link", { name: s.name })).toBeVisible();
      await admin.context().close();
    });
  }

  await test.step("the coordinator sees both studios of two enterprises in the alliance, and the acceptances in the inbox", async () => {
    await page.goto("/alliances");
    await expect(unreadBadge(page)).toHaveText("2");
    await page.goto(allianceUrl);
    await expect(page.getByText("2 个工作室 · 2 家企业 · 0 个联合项目")).toBeVisible();
    await expect(page.getByRole("region", { name: "成员工作室 (2)" })).toContainText(GRID.enterprise);
    await expect(page.getByRole("region", { name: "成员工作室 (2)" })).toContainText(SIGNAL.enterprise);
    // on the page the acceptances are about, they count as seen: the badge clears
    await expect(unreadBadge(page)).toHaveCount(0);
    await page.goto("/inbox");
    for (const s of [GRID, SIGNAL]) await expect(page.getByRole("button", { name: `${s.name}已加入联盟“${allianceName}”` })).toBeVisible();
  });

  const grid = await person(browser, baseURL, GRID.admin, errors);
  await test.step("the grid studio's admin proposes a joint project with a milestone", async () => {
    await grid.goto(allianceUrl);
    await grid.getByRole("link", { name: "提出联合项目" }).click();
    await expect(grid.getByRole("heading", { level: 1 })).toHaveText("提出联合项目");
    await grid.getByLabel("项目名称").fill(projectTitle);
    await grid.getByLabel("项目目标").fill("建立配电房和轨旁信号设备通用的巡检点位库，试点挂轨巡检装置。");
    await grid.getByRole("combobox", { name: "牵头工作室" }).selectOption(GRID.slug);
    await grid.getByRole("checkbox", { name: new RegExp(SIGNAL.name) }).check();
    await grid.getByLabel("里程碑名称 1").fill(milestone);
    await grid.getByLabel("截止日期").fill("2026-12-20");
    await grid.getByRole("button", { name: "提出联合项目" }).click();
    await expect(grid.getByRole("heading", { level: 1 })).toHaveText(projectTitle);
    await expect(grid.getByText("已提出", { exact: true })).toBeVisible();
    const partners = grid.getByRole("complementary");
    await expect(partners.getByRole("listitem").filter({ hasText: GRID.name })).toContainText("牵头");
    await expect(partners.getByRole("listitem").filter({ hasText: SIGNAL.name })).toContainText("参与");
  });
  const projectUrl = new URL(grid.url()).pathname;

  const signal = await person(browser, baseURL, SIGNAL.admin, errors);
  await test.step("a participant completes the milestone, then moves the project to active and to completed", async () => {
    await signal.goto(projectUrl);
    const milestones = signal.getByRole("region", { name: "里程碑" });
    await milestones.getByRole("button", { name: `标记完成 ${milestone}` }).click();
    await expect(milestones.getByRole("listitem").filter({ hasText: milestone })).toContainText("已完成");
    await expect(milestones.getByRole("button", { name: `重新打开 ${milestone}` })).toBeVisible();
    await signal.getByRole("button", { name: "改为“进行中”" }).click();
    await expect(signal.getByText("进行中", { exact: true })).toBeVisible();
    await signal.getByRole("button", { name: "改为“已完成”" }).click();
    await expect(signal.getByRole("button", { name: /^改为/ })).toHaveCount(0); // nothing follows completed
    await signal.getByRole("link", { name: allianceName }).click();
    const listed = signal.getByRole("region", { name: "联合项目" }).getByRole("listitem").filter({ hasText: projectTitle });
    await expect(listed).toContainText("已完成");
    await expect(listed).toContainText("里程碑 1/1");
    await signal.goto(projectUrl);
    // the other participant hears that the milestone is done
    await grid.goto("/inbox");
    await expect(grid.getByRole("button", { name: `里程碑完成：${projectTitle} — ${milestone}` })).toBeVisible();
  });

  await test.step("the participant links the outcome result and records its adoption by another enterprise", async () => {
    const outcome = signal.getByRole("region", { name: "项目成果" });
    await expect(outcome).toContainText("尚未关联成果。");
    await outcome.getByRole("combobox", { name: "关联成果" }).selectOption({ label: OUTCOME.title });
    await outcome.getByRole("button", { name: "关联成果" }).click();
    await expect(outcome.getByRole("link", { name: OUTCOME.title })).toBeVisible();
    await outcome.getByLabel("采用企业").selectOption({ label: ADOPTER });
    await outcome.getByLabel("采用日期").fill("2026-11-20");
    await outcome.getByLabel("实测效益").fill("燃气场站带电检修工器具取用时间缩短40%");
    await outcome.getByRole("button", { name: "登记采用" }).click();
    await expect(outcome.getByRole("listitem").filter({ hasText: ADOPTER })).toContainText("2026-11-20 · 燃气场站带电检修工器具取用时间缩短40%");
  });

  await test.step("the outcome result's page shows the adopting enterprise and 已被 1 家企业复用", async () => {
    await signal.getByRole("region", { name: "项目成果" }).getByRole("link", { name: OUTCOME.title }).click();
    await expect(signal).toHaveURL(`/results/${OUTCOME.slug}`);
    await expect(signal.getByRole("heading", { level: 1 })).toHaveText(OUTCOME.title);
    await expect(signal.getByText("已被 1 家企业复用")).toBeVisible();
    const adoptions = signal.getByRole("complementary");
    await expect(adoptions.getByRole("link", { name: ADOPTER })).toBeVisible();
    await expect(adoptions).toContainText("燃气场站带电检修工器具取用时间缩短40%");
    // and a visitor sees the same
    await page.context().clearCookies();
    await page.goto(`/results/${OUTCOME.slug}`);
    await expect(page.getByText("已被 1 家企业复用")).toBeVisible();
  });

  await test.step("made alliance-only, the outcome and its adoption are named nowhere on the project page for a visitor", async () => {
    await grid.goto(`/results/${OUTCOME.slug}/edit`);
    await grid.getByRole("radio", { name: "仅联盟成员可见" }).check();
    await grid.getByRole("button", { name: "发布修改", exact: true }).click();
    await expect(grid.getByRole("status").filter({ hasText: "已发布。" })).toBeVisible();
    await page.goto(projectUrl);
    await expect(page.getByRole("region", { name: "项目成果" })).toContainText("本项目的成果仅对联盟成员可见。");
    // the document and the data request a client-side navigation makes
    for (const url of [projectUrl, `${projectUrl}.data`]) {
      const res = await page.request.get(url);
      expect(res.status(), url).toBe(200);
      const text = await res.text();
      expect(text, url).not.toContain(OUTCOME.title);
      expect(text, url).not.toContain("燃气场站带电检修工器具取用时间缩短40%");
    }
    // a participant, whose studio is in the alliance, still sees both
    await signal.goto(projectUrl);
    const outcome = signal.getByRole("region", { name: "项目成果" });
    await expect(outcome.getByRole("link", { name: OUTCOME.title })).toBeVisible();
    await expect(outcome).toContainText("燃气场站带电检修工器具取用时间缩短40%");
    // public again, as the seed has it, for the specs that follow
    await grid.goto(`/results/${OUTCOME.slug}/edit`);
    await grid.getByRole("radio", { name: "公开" }).check();
    await grid.getByRole("button", { name: "发布修改", exact: true }).click();
    await expect(grid.getByRole("status").filter({ hasText: "已发布。" })).toBeVisible();
  });

  await grid.context().close();
  await signal.context().close();
  expect(errors, "console errors in the studio admins' windows").toEqual([]);
});
