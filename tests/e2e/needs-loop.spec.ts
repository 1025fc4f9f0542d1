import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// 点单 → 配送 → 送技 as the four people in it live it, each in a browser window of their own: the
// enterprise contact posts a need with the rich-text editor; the coordinator dispatches it to two
// studios of other enterprises; one studio declines with a reason, the other accepts with two of
// its people and later records the delivery; the enterprise confirms and rates it; the need is
// closed and its timeline shows every step with who took it. Once in Chinese at desktop width,
// once in English at phone width, with screenshots of each step under tests/.tmp/screens/.

const PASSWORD = "demo-password-2026";
const ENTERPRISE = "enterprise@demo.example";
const COORDINATOR = "coordinator@demo.example";
const SIGNAL = { slug: "metro-signal", admin: "signal-admin@demo.example", zh: "郑州地铁信号系统工匠创新工作室" };
const GAS = { slug: "zhongzhou-gas-pipeline", admin: "gas-admin@demo.example", zh: "燃气管网智能巡检创新工作室" };

type Lang = "zh-CN" | "en";
const L = {
  "zh-CN": {
    email: "电子邮箱",
    password: "密码",
    login: "登录",
    logout: "退出",
    post: "发布需求（点单）",
    title: "标题",
    tags: "所需技能",
    problem: "问题和期望效果",
    contactName: "联系人姓名",
    phone: "联系电话",
    submit: "提交需求",
    dispatch: "配送",
    note: "配送说明",
    reason: "原因",
    decline: "婉拒",
    accept: "接单",
    visit: "上门日期",
    date: "送技日期",
    hours: "工时（小时）",
    work: "做了什么",
    outcome: "效果",
    deliver: "提交送技记录",
    confirm: "确认完成并评价",
    closed: "已完结",
    timeline: "办理进程",
    steps: ["企业点单", "协调员配送", "工作室婉拒", "工作室接单", "送技上门", "企业确认并评价"],
  },
  en: {
    email: "Email",
    password: "Password",
    login: "Log in",
    logout: "Log out",
    post: "Post a need",
    title: "Title",
    tags: "Skills needed",
    problem: "Problem and desired result",
    contactName: "Contact name",
    phone: "Contact phone",
    submit: "Submit the need",
    dispatch: "Dispatch",
    note: "Note",
    reason: "Reason",
    decline: "Decline",
    accept: "Accept",
    visit: "Visit date",
    date: "Date",
    hours: "Hours",
    work: "What was done",
    outcome: "Outcome",
    deliver: "Submit the delivery record",
    confirm: "Confirm and rate",
    closed: "Closed",
    timeline: "Timeline",
    steps: ["Need posted", "Dispatched by a coordinator", "Declined by a studio", "Accepted by a studio", "Delivered on site", "Confirmed and rated"],
  },
} as const;

async function person(browser: Browser, baseURL: string | undefined, email: string, lang: Lang, width: number, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: lang, viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && errors.push(`${email}: ${m.text()}`));
  page.on("pageerror", (e) => errors.push(`${email}: uncaught ${e.message}`));
  const l = L[lang];
  await page.goto("/login");
  await page.getByLabel(l.email).fill(email);
  await page.getByLabel(l.password, { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: l.login }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: l.logout })).toBeVisible();
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: `tests/.tmp/screens/${name}.png`, fullPage: true });

for (const [lang, width] of [
  ["zh-CN", 1280],
  ["en", 390],
] as const) {
  test(`the whole loop across four accounts (${lang}, ${width}px)`, async ({ browser, baseURL }) => {
    test.setTimeout(180_000);
    const l = L[lang];
    const errors: string[] = [];
    const tag = `${lang}-${width}`;
    const title = `${lang === "en" ? "Compressor room leak survey" : "空压站管路泄漏巡检"} ${Date.now().toString(36).slice(-5)}`;
    let url = "";

    await test.step("the enterprise contact posts a need", async () => {
      const page = await person(browser, baseURL, ENTERPRISE, lang, width, errors);
      await page.goto("/needs/new");
      await expect(page.getByRole("heading", { name: l.post })).toBeVisible();
      await page.getByLabel(l.title).fill(title);
      await page.getByLabel(l.tags).fill("智能巡检，泄漏检测");
      const editor = page.getByRole("textbox", { name: l.problem, exact: true });
      await expect(editor).toHaveAttribute("data-lexical-editor", "true");
      await editor.click();
      await page.keyboard.type("空压站管路漏气，每年损失电费约二十万元，希望有工作室帮助巡检定位泄漏点。");
      await page.getByLabel(l.contactName).fill("何部长");
      await page.getByLabel(l.phone).fill("0371-6000 1234");
      await shot(page, `loop-${tag}-1-post`);
      await page.getByRole("button", { name: l.submit }).click();
      await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
      url = new URL(page.url()).pathname;
      await page.context().close();
    });

    await test.step("the coordinator dispatches it to two studios of other enterprises", async () => {
      const page = await person(browser, baseURL, COORDINATOR, lang, width, errors);
      await page.goto(url);
      const panel = page.getByRole("region", { name: l.dispatch === "配送" ? "配送给工作室" : "Dispatch to studios" });
      await panel.getByLabel(SIGNAL.zh).check();
      await panel.getByLabel(GAS.zh).check();
      await panel.getByLabel(l.note).fill("请评估是否能上门");
      await shot(page, `loop-${tag}-2-dispatch`);
      await panel.getByRole("button", { name: l.dispatch, exact: true }).click();
      await expect(page.getByRole("status")).toBeVisible();
      await page.context().close();
    });

    await test.step("one studio declines with a reason", async () => {
      const page = await person(browser, baseURL, SIGNAL.admin, lang, width, errors);
      await page.goto(url);
      await page.getByLabel(l.reason).fill("不在我们的专业范围");
      await page.getByRole("button", { name: l.decline }).click();
      await expect(page.getByText("不在我们的专业范围").first()).toBeVisible();
      await page.context().close();
    });

    await test.step("the other accepts with two of its people, then records the delivery", async () => {
      const page = await person(browser, baseURL, GAS.admin, lang, width, errors);
      await page.goto(url);
      await page.getByLabel(l.visit).fill("2026-12-20");
      const people = page.getByRole("group", { name: lang === "en" ? "Who will go" : "前往人员" }).getByRole("checkbox");
      await people.nth(0).check();
      await people.nth(1).check();
      await shot(page, `loop-${tag}-3-accept`);
      await page.getByRole("button", { name: l.accept, exact: true }).click();
      await expect(page.getByRole("heading", { name: lang === "en" ? "Record the delivery" : "记录送技" })).toBeVisible();
      await page.getByLabel(l.date, { exact: true }).fill("2026-12-20");
      await page.getByLabel(l.hours).fill("6");
      const went = page.getByRole("group", { name: lang === "en" ? "Who went" : "送技人员" }).getByRole("checkbox");
      await went.nth(0).check();
      await went.nth(1).check();
      await page.getByLabel(l.work).fill("用超声检漏仪逐段巡检，标出漏点23处");
      await page.getByLabel(l.outcome).fill("修复后空压机加载率下降18%");
      // a PDF report goes up at once, checked by its bytes, and is listed on the delivery record
      await page
        .getByLabel(lang === "en" ? "Attachments (images or PDF)" : "附件（图片或 PDF）")
        .setInputFiles({ name: "送技报告.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
      await expect(page.getByRole("button", { name: `${lang === "en" ? "Remove" : "移除"} 送技报告.pdf` })).toBeVisible();
      await page.getByRole("button", { name: l.deliver }).click();
      await expect(page.getByText("修复后空压机加载率下降18%").first()).toBeVisible();
      await expect(page.getByRole("link", { name: "送技报告.pdf" }).first()).toHaveAttribute("href", /\/attachments\/[A-Za-z0-9_-]+\.pdf$/);
      await page.context().close();
    });

    await test.step("the enterprise confirms and rates it; the need is closed with a complete timeline", async () => {
      const page = await person(browser, baseURL, ENTERPRISE, lang, width, errors);
      await page.goto(url);
      await page.getByRole("radio").nth(4).check();
      await page.getByRole("button", { name: l.confirm }).click();
      await expect(
        page
          .getByRole("list", { name: lang === "en" ? "Status" : "状态" })
          .getByRole("listitem")
          .last(),
      ).toHaveAttribute("aria-current", "step");
      const timeline = page.getByRole("region", { name: l.timeline });
      for (const step of l.steps) await expect(timeline.getByText(step, { exact: true })).toBeVisible();
      await expect(timeline.getByRole("listitem")).toHaveCount(6);
      await expect(page.getByText("★★★★★").first()).toBeVisible();
      await shot(page, `loop-${tag}-4-closed`);
      await page.context().close();
    });

    expect(errors).toEqual([]);
  });
}
