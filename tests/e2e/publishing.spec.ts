import type { Browser, BrowserContext, Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { newestMailTo } from "./mail";

// Publishing as studio members do it: register, accept an invitation, write a result in the
// Lexical editor (also through a Chinese input method), publish it and see it rendered; and what
// happens to people who may not edit, to hostile bodies, to bad input and to stale edits.

const PASSWORD = "demo-password-2026";
const STUDIO = "/studios/xu-xin";

/** A 4xx answer to a fetch or document request is logged by Chromium as a failed resource. */
const FAILED_LOAD = (status: number) => new RegExp(`status of ${status}`);

let counter = 0;
/** A title no other test (or earlier run on this database) uses. */
const unique = (title: string) => `${title}${Date.now().toString(36).slice(-5)}${++counter}`;

// ---------------------------------------------------------------- helpers

/** A second browser window of its own (own cookies); its console errors fail the test too. */
async function openContext(browser: Browser, baseURL: string | undefined, errors: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, locale: "zh-CN" });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  return { context, page };
}

async function logIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/account/);
  await expect(page.getByRole("banner").getByRole("button", { name: "退出" })).toBeVisible();
}

const bodyEditor = (page: Page) => page.getByRole("textbox", { name: "正文", exact: true });
const toolbar = (page: Page) => page.getByRole("toolbar", { name: "正文格式" });
const select = (page: Page, label: string) => page.getByRole("combobox", { name: label, exact: true });
const autosaved = (page: Page) => page.getByRole("status").filter({ hasText: /草稿已自动保存/ });

/** Waits for the editor to be live (Lexical marks its root once it is attached in the browser). */
async function editorReady(page: Page): Promise<Locator> {
  const editor = bodyEditor(page);
  await expect(editor).toHaveAttribute("data-lexical-editor", "true");
  return editor;
}

/** From the studio page: 发布新成果 → title → the editor. Returns the result's slug. */
async function startResult(page: Page, title: string): Promise<string> {
  await page.goto(STUDIO);
  await page.getByRole("link", { name: "发布新成果" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("发布新成果");
  await page.getByLabel("标题").fill(title);
  await page.getByRole("button", { name: /编辑/ }).click();
  await expect(page).toHaveURL(/\/results\/[^/]+\/edit$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("发布新成果");
  await expect(page.getByLabel("标题", { exact: true })).toHaveValue(title);
  await editorReady(page);
  return new URL(page.url()).pathname.split("/")[2];
}

/** Types into the (focused) editor end. */
async function typeAtEnd(page: Page, text: string) {
  const editor = await editorReady(page);
  await editor.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

/** Publishes the open edit page and waits for the result page. */
async function publish(page: Page, slug: string, label: "发布" | "发布修改" = "发布") {
  await page.getByRole("button", { name: label, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/results/${slug}\\?published=1$`));
  await expect(page.getByRole("status").filter({ hasText: "已发布。" })).toBeVisible();
}

/** A member's result with one paragraph of text, published through the editor. */
async function publishSimpleResult(page: Page, title: string, text: string): Promise<string> {
  const slug = await startResult(page, title);
  await typeAtEnd(page, text);
  await expect(autosaved(page)).toBeVisible();
  await publish(page, slug);
  await expect(page.getByRole("region", { name: "成果介绍" })).toContainText(text);
  return slug;
}

// ---------------------------------------------------------------- tests

test.describe("from registration to a published result", () => {
  test("a new user registers, joins a studio by invitation and publishes a rendered result", async ({ page, browser, baseURL }) => {
    test.setTimeout(90_000);
    const name = unique("赵工");
    const email = `new-${Date.now().toString(36)}@example.com`;

    // register → "check your email"
    await page.goto("/register");
    await page.getByLabel("姓名").fill(name);
    await page.getByLabel("电子邮箱").fill(email);
    await page.getByLabel("密码", { exact: true }).fill("a-long-password-2026");
    await page.getByRole("main").getByRole("button", { name: "注册" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("请查收邮件");
    await expect(page.getByRole("status")).toContainText(email);
    // not signed in yet
    await expect(page.getByRole("banner").getByRole("link", { name: "登录" })).toBeVisible();

    // the confirmation link from the mail signs the user in
    const mail = await newestMailTo(email);
    const link = mail.match(/https?:\/\/\S+\/verify-email\?token=[A-Za-z0-9_-]+\S*/)?.[0];
    expect(link, `a confirmation link in:\n${mail}`).toBeTruthy();
    await page.goto(link!);
    await expect(page).toHaveURL(/\/account/);
    await expect(page.getByRole("banner").getByRole("link", { name })).toBeVisible();
    await expect(page.getByRole("banner").getByRole("button", { name: "退出" })).toBeVisible();
    // a used link does not work twice
    const again = await page.context().request.get(link!, { maxRedirects: 0 });
    expect(again.status()).toBe(200);
    expect(await again.text()).toContain("这个确认链接无效或已过期");

    // meanwhile the studio's admin makes an invitation link
    const adminErrors: string[] = [];
    const admin = await openContext(browser, baseURL, adminErrors);
    await logIn(admin.page, "studio-admin@demo.example");
    await admin.page.goto(`${STUDIO}/members`);
    await expect(admin.page.getByRole("heading", { level: 1 })).toHaveText("成员管理");
    await expect(select(admin.page, "加入后的角色")).toHaveValue("member");
    await admin.page.getByRole("button", { name: "生成邀请链接" }).click();
    const invitation = admin.page.getByRole("textbox", { name: "邀请链接（请复制发送给对方）：" });
    await expect(invitation).toHaveValue(/\/join\/[A-Za-z0-9_-]{20,}$/);
    const joinLink = await invitation.inputValue();
    // the unused invitation is listed, also on a freshly loaded page
    await admin.page.reload();
    await expect(admin.page.getByRole("heading", { name: "未使用的邀请" })).toBeVisible();
    await expect(admin.page.getByText(/^成员 · \d{4}-\d{2}-\d{2} 过期$/).first()).toBeVisible();
    await admin.context.close();
    expect(adminErrors, "console errors in the admin's window").toEqual([]);

    // the new user accepts it and lands on the studio page as a member
    await page.goto(joinLink);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("加入工作室");
    await expect(page.getByText("李工（工作室管理员） 邀请你以“成员”身份加入 徐欣创新工作室。")).toBeVisible();
    await page.getByRole("button", { name: "接受邀请" }).click();
    await expect(page).toHaveURL(/\/studios\/xu-xin\?joined=1$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("徐欣创新工作室");
    const actions = page.getByRole("navigation", { name: "编辑" });
    await expect(actions.getByRole("link", { name: "发布新成果" })).toBeVisible();
    await expect(actions.getByRole("link", { name: "编辑工作室资料" })).toBeVisible();
    await expect(actions.getByRole("link", { name: "成员管理" })).toHaveCount(0); // a member, not an admin
    // the invitation worked once
    await page.goto(joinLink);
    await expect(page.getByRole("alert")).toHaveText(/无效、已使用或已过期/);

    // write a result
    const title = unique("地铁道岔缺口智能监测装置");
    const slug = await startResult(page, title);
    const editor = bodyEditor(page);
    await editor.click();
    await page.keyboard.type("这是第一段正文。");
    await page.keyboard.press("Enter");
    await page.keyboard.type("成果简介");
    await toolbar(page).getByRole("button", { name: "二级标题" }).click();
    await expect(toolbar(page).getByRole("button", { name: "二级标题" })).toHaveAttribute("aria-pressed", "true");
    await expect(editor.getByRole("heading", { level: 2 })).toHaveText("成果简介");
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await toolbar(page).getByRole("button", { name: "项目列表" }).click();
    await expect(toolbar(page).getByRole("button", { name: "项目列表" })).toHaveAttribute("aria-pressed", "true");
    await page.keyboard.type("第一项");
    await page.keyboard.press("Enter");
    await page.keyboard.type("第二项");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter"); // an empty item ends the list
    await expect(editor.getByRole("listitem")).toHaveText(["第一项", "第二项"]);
    await page.keyboard.type("详见项目主页：");
    await toolbar(page).getByRole("button", { name: "链接", exact: true }).click();
    const linkForm = page.getByRole("group", { name: "链接" });
    await linkForm.getByLabel("链接地址").fill("https://example.com");
    await linkForm.getByRole("button", { name: "设为链接" }).click();
    await expect(linkForm).toHaveCount(0);
    await expect(editor.getByRole("link", { name: "https://example.com" })).toBeVisible();

    await select(page, "类型").selectOption({ label: "装备改进" });
    await select(page, "行业").selectOption({ label: "城市轨道交通" });
    await select(page, "应用状态").selectOption({ label: "已应用" });
    await page.getByLabel("年份").fill("2024");
    await page.getByLabel("标签").fill("道岔，智能监测");
    await page.getByLabel("成效").fill("故障发现时间缩短 60%\n每年减少人工巡检 1200 小时");
    await expect(autosaved(page)).toBeVisible();

    await publish(page, slug);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    const body = page.getByRole("region", { name: "成果介绍" });
    await expect(body.getByText("这是第一段正文。")).toBeVisible();
    await expect(body.getByRole("heading", { level: 2, name: "成果简介" })).toBeVisible();
    await expect(body.getByRole("listitem")).toHaveText(["第一项", "第二项"]);
    await expect(body.getByRole("link", { name: "https://example.com" })).toHaveAttribute("href", "https://example.com");
    await expect(page.getByRole("region", { name: "成效" }).getByRole("listitem")).toHaveText(["故障发现时间缩短 60%", "每年减少人工巡检 1200 小时"]);
    await expect(page.getByText("装备改进", { exact: true })).toBeVisible();
    await expect(page.getByText("已应用", { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("complementary").getByRole("listitem")).toContainText(["道岔", "智能监测"]);
    await expect(page.getByRole("definition").filter({ hasText: "2024" })).toBeVisible();
    await expect(page.getByRole("link", { name: "编辑成果" })).toBeVisible();

    // the studio page lists it, and its activity feed shows it
    await page.getByRole("main").getByRole("navigation", { name: "breadcrumb" }).getByRole("link", { name: "徐欣创新工作室" }).click();
    await expect(page).toHaveURL(/\/studios\/xu-xin$/);
    await expect(page.getByRole("region", { name: /^成果/ }).getByRole("link", { name: title })).toBeVisible();
    await expect(page.getByRole("listitem").filter({ hasText: `发布成果：${title}` })).toBeVisible();
    await page.getByRole("region", { name: /^成果/ }).getByRole("link", { name: title }).click();
    await expect(page).toHaveURL(new RegExp(`/results/${slug}$`));
  });
});

test.describe("who may edit", () => {
  test.use({ allowedConsoleErrors: [FAILED_LOAD(403)] });

  test("a user outside the studio sees no edit button and gets 403; a visitor is sent to log in", async ({ page, browser, baseURL }) => {
    test.setTimeout(60_000);
    const errors: string[] = [];
    const member = await openContext(browser, baseURL, errors);
    await logIn(member.page, "member@demo.example");
    const title = unique("接触网检修作业指导书");
    const slug = await publishSimpleResult(member.page, title, "这是一份只有本工作室成员能修改的成果。");
    await member.context.close();
    expect(errors).toEqual([]);

    await logIn(page, "signal-admin@demo.example");
    await page.goto(`/results/${slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.getByRole("link", { name: "编辑成果" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "修改历史" })).toHaveCount(0);

    for (const url of [`/results/${slug}/edit`, `/results/${slug}/history`]) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(403);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("没有权限");
      // the reason, in the reader's language
      await expect(page.locator(".error-detail")).toHaveText("只有本工作室的成员才能编辑它。");
      await expect(bodyEditor(page)).toHaveCount(0);
    }
    // …nor can they publish by posting the form themselves
    await page.goto(`/results/${slug}`);
    const csrf = await page.getByRole("button", { name: "中文" }).evaluate((b) => String(new FormData((b as HTMLButtonElement).form!).get("csrf")));
    const forged = await page.request.post(`/results/${slug}/edit`, {
      form: {
        csrf,
        intent: "publish",
        studio: "xu-xin",
        version: "1",
        title: "被篡改的标题",
        kind: "other",
        industry: "rail-transit",
        status: "piloting",
        year: "2024",
        visibility: "public",
        body: "{}",
      },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);

    // a visitor is sent to the login page, which comes back to the editor
    const visitor = await openContext(browser, baseURL, errors);
    await visitor.page.goto(`/results/${slug}/edit`);
    await expect(visitor.page).toHaveURL(new RegExp(`/login\\?redirectTo=${encodeURIComponent(`/results/${slug}/edit`)}$`));
    await expect(visitor.page.getByRole("heading", { level: 1 })).toHaveText("登录");
    await visitor.page.goto(`/results/${slug}`);
    await expect(visitor.page.getByRole("link", { name: "编辑成果" })).toHaveCount(0);
    await visitor.context.close();
    expect(errors).toEqual([]);
  });
});

test("Chinese typed through an input method is committed once, without shortcuts firing", async ({ page }) => {
  test.setTimeout(60_000);
  await logIn(page, "member@demo.example");
  const slug = await startResult(page, unique("仿真培训平台"));
  const editor = bodyEditor(page);
  await editor.click();
  const cdp = await page.context().newCDPSession(page);

  /** What an IME does: show pinyin while composing, then commit the chosen characters. */
  const compose = async (pinyin: string[], commit: string, during?: () => Promise<void>) => {
    for (const text of pinyin) await cdp.send("Input.imeSetComposition", { text, selectionStart: text.length, selectionEnd: text.length });
    // the pinyin is shown in the editor while composing
    await expect(editor).toContainText(pinyin[pinyin.length - 1]);
    if (during) await during();
    await cdp.send("Input.insertText", { text: commit });
    await expect(editor).not.toContainText(pinyin[pinyin.length - 1]);
  };

  await compose(["f", "fang", "fangzh", "fangzhen"], "仿真");
  // shortcuts pressed while a composition is open belong to the input method: no bold, no
  // italic, no link form, no undo (which would also take back 仿真)
  await compose(["c", "ce", "ces", "ceshi"], "测试", async () => {
    for (const key of ["Control+B", "Control+I", "Control+K", "Control+Z"]) {
      await page.keyboard.press(key);
      await expect(editor, `still composing after ${key}`).toContainText("仿真ceshi");
    }
  });
  await page.keyboard.press("Enter");
  await compose(["g", "gong", "gongj", "gongjiang"], "工匠");
  await page.keyboard.press("Backspace"); // takes back 匠
  await compose(["j", "jiang"], "匠");
  await page.keyboard.type("、");
  await compose(["ch", "chuang", "chuangx", "chuangxin"], "创新");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Backspace"); // takes back one empty paragraph
  await compose(["sh", "shu", "shuz", "shuzi"], "数字");
  await compose(["hua"], "化");

  // Enter, Enter, Backspace: one new paragraph
  await expect(editor.getByRole("paragraph")).toHaveText(["仿真测试", "工匠、创新", "数字化"]);
  const text = (await editor.textContent()) ?? "";
  for (const ch of "仿真测试工匠创新数字化") expect(text.split(ch).length - 1, `「${ch}」 appears once in ${text}`).toBe(1);
  expect(text.replace(/[\u200b\ufeff]/g, "")).toBe("仿真测试工匠、创新数字化");

  // no shortcut fired: no link form, nothing bold, nothing undone
  await expect(page.getByRole("group", { name: "链接" })).toHaveCount(0);
  await expect(toolbar(page).getByRole("button", { name: "加粗" })).toHaveAttribute("aria-pressed", "false");
  await expect(toolbar(page).getByRole("button", { name: "斜体" })).toHaveAttribute("aria-pressed", "false");
  await expect(editor.locator("strong, b, em, i")).toHaveCount(0);

  await expect(autosaved(page)).toBeVisible();
  await publish(page, slug);
  const body = page.getByRole("region", { name: "成果介绍" });
  await expect(body.getByText("仿真测试", { exact: true })).toBeVisible();
  await expect(body.getByText("工匠、创新", { exact: true })).toBeVisible();
  await expect(body.getByText("数字化", { exact: true })).toBeVisible();
  await expect(body).not.toContainText(/fang|ceshi|gong|jiang|chuang|shuzi|hua/);
});

test.describe("hostile bodies", () => {
  test.use({ allowedConsoleErrors: [FAILED_LOAD(400)] });

  test("markup typed as text stays text, forged bodies are refused, and the page has a nonce CSP", async ({ page }) => {
    test.setTimeout(60_000);
    await logIn(page, "member@demo.example");
    const title = unique("恶意正文测试");
    const slug = await startResult(page, title);
    const script = "<script>window.__xss=1</script>";
    const img = `<img src=x onerror="window.__xss=1">`;
    const editor = bodyEditor(page);
    await editor.click();
    await page.keyboard.type(script);
    await page.keyboard.press("Enter");
    await page.keyboard.type(img);
    await expect(autosaved(page)).toBeVisible();
    await publish(page, slug);

    const response = await page.reload();
    const body = page.getByRole("region", { name: "成果介绍" });
    await expect(body.getByText(script, { exact: true })).toBeVisible();
    await expect(body.getByText(img, { exact: true })).toBeVisible();
    await expect(body.getByRole("img")).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();

    // the page's Content-Security-Policy only runs scripts carrying this response's nonce
    const csp = response?.headers()["content-security-policy"] ?? "";
    const nonce = csp.match(/script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
    expect(nonce, csp).toBeTruthy();
    expect(csp).toContain("object-src 'none'");
    expect(csp.match(/script-src[^;]*/)?.[0]).not.toContain("unsafe");

    // forged bodies posted straight to the action, with the page's own form and token
    await page.getByRole("link", { name: "编辑成果" }).click();
    await editorReady(page);
    const fields = await page.getByRole("button", { name: "发布修改", exact: true }).evaluate((b) => {
      const form = (b as HTMLButtonElement).form!;
      return Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)]));
    });
    expect(fields.csrf).toMatch(/.{20,}/);
    const paragraph = (children: unknown[]) => ({ type: "paragraph", version: 1, direction: "ltr", format: "", indent: 0, children });
    const text = (t: string) => ({ type: "text", version: 1, text: t, format: 0, detail: 0, mode: "normal", style: "" });
    const state = (children: unknown[]) => JSON.stringify({ root: { type: "root", version: 1, direction: "ltr", format: "", indent: 0, children } });
    const nested = (depth: number): unknown =>
      depth === 0 ? paragraph([text("深")]) : { type: "quote", version: 1, direction: "ltr", format: "", indent: 0, children: [nested(depth - 1)] };
    const forgedBodies = {
      "javascript: link": state([
        paragraph([{ type: "link", version: 1, url: "javascript:window.__xss=1", direction: "ltr", format: "", indent: 0, children: [text("伪造的链接")] }]),
      ]),
      "unknown node type": state([{ type: "html", version: 1, html: "<img src=x onerror=window.__xss=1>", children: [] }, paragraph([text("伪造的节点")])]),
      "deep nesting": state([paragraph([text("伪造的嵌套")]), nested(200)]),
    };
    for (const [what, forgedBody] of Object.entries(forgedBodies)) {
      const answer = await page.request.post(`/results/${slug}/edit`, {
        form: { ...fields, intent: "publish", title: "伪造的标题", body: forgedBody },
        maxRedirects: 0,
      });
      expect(answer.status(), what).toBe(400);
    }
    // …and nothing changed
    await page.goto(`/results/${slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.getByRole("region", { name: "成果介绍" }).getByText(script, { exact: true })).toBeVisible();
    await expect(page.getByRole("main")).not.toContainText("伪造");
    await page.getByRole("link", { name: "修改历史" }).click();
    await expect(page.getByRole("listitem").filter({ hasText: /^第 \d+ 版/ })).toHaveCount(1);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  });
});

test.describe("bad input", () => {
  test.use({ allowedConsoleErrors: [FAILED_LOAD(400)] });

  test("an empty title and a wrong year get a message at each field and keep everything typed", async ({ page }) => {
    test.setTimeout(60_000);
    await logIn(page, "member@demo.example");
    await startResult(page, unique("盾构刀具磨损预测"));
    await page.getByLabel("标题", { exact: true }).fill("");
    await select(page, "类型").selectOption({ label: "软件" });
    await select(page, "应用状态").selectOption({ label: "已转化推广" });
    await page.getByLabel("年份").fill("abc");
    await page.getByLabel("标签").fill("盾构，刀具，预测");
    await page.getByLabel("成效").fill("换刀次数减少三成\n停机时间缩短一半");
    await page.getByLabel("应用单位").fill("郑州地铁集团");
    await typeAtEnd(page, "刀具磨损的预测模型与现场验证。");
    await expect(autosaved(page)).toBeVisible();
    // the draft is kept: a reload brings back everything typed, errors and all
    await page.reload();
    await expect(page.getByRole("status").filter({ hasText: /^已恢复你上次未发布的草稿（\d{4}-\d{2}-\d{2} \d{2}:\d{2}）。$/ })).toBeVisible();
    await editorReady(page);
    await expect(page.getByLabel("标题", { exact: true })).toHaveValue("");
    await expect(page.getByLabel("标签")).toHaveValue("盾构，刀具，预测");
    await expect(bodyEditor(page)).toHaveText("刀具磨损的预测模型与现场验证。");
    await page.getByRole("button", { name: "发布", exact: true }).click();

    await expect(page.getByRole("alert")).toHaveText("表单中有 2 处需要修改。");
    await expect(page).toHaveURL(/\/edit$/);
    await expect(page.getByLabel("标题", { exact: true })).toHaveAccessibleDescription("此项必填。");
    await expect(page.getByLabel("标题", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("年份")).toHaveAccessibleDescription("格式不正确。");
    await expect(page.getByLabel("年份")).toHaveValue("abc");
    await expect(page.getByLabel("标签")).toHaveValue("盾构，刀具，预测");
    await expect(page.getByLabel("标签")).not.toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("成效")).toHaveValue("换刀次数减少三成\n停机时间缩短一半");
    await expect(page.getByLabel("应用单位")).toHaveValue("郑州地铁集团");
    await expect(select(page, "类型")).toHaveValue("software");
    await expect(select(page, "应用状态")).toHaveValue("transferred");
    await expect(bodyEditor(page)).toHaveText("刀具磨损的预测模型与现场验证。");

    // the same values come back after a reload too (the page renders them from the answer)
    await page.getByLabel("标题", { exact: true }).fill("盾构刀具磨损预测模型");
    await page.getByLabel("年份").fill("2023");
    await page.getByRole("button", { name: "发布", exact: true }).click();
    await expect(page).toHaveURL(/\?published=1$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("盾构刀具磨损预测模型");
    await expect(page.getByRole("region", { name: "成果介绍" })).toHaveText(/刀具磨损的预测模型与现场验证。/);
    await expect(page.getByRole("region", { name: "成效" }).getByRole("listitem")).toHaveText(["换刀次数减少三成", "停机时间缩短一半"]);
  });
});

test.describe("stale edits", () => {
  test.use({ allowedConsoleErrors: [FAILED_LOAD(409)] });

  test("the second of two editors gets the stale message and keeps what they typed", async ({ page, browser, baseURL }) => {
    test.setTimeout(60_000);
    await logIn(page, "member@demo.example");
    const slug = await publishSimpleResult(page, unique("变电站巡检机器人"), "原始正文。");

    const errors: string[] = [];
    const first = await openContext(browser, baseURL, errors);
    await logIn(first.page, "studio-admin@demo.example");
    await first.page.goto(`/results/${slug}/edit`);
    await editorReady(first.page);
    await page.goto(`/results/${slug}/edit`);
    await editorReady(page);

    await typeAtEnd(first.page, "管理员补充的内容。");
    await first.page.getByRole("button", { name: "发布修改", exact: true }).click();
    await expect(first.page).toHaveURL(new RegExp(`/results/${slug}\\?published=1$`));
    await expect(first.page.getByRole("region", { name: "成果介绍" })).toContainText("管理员补充的内容。");
    await first.context.close();
    expect(errors).toEqual([]);

    await typeAtEnd(page, "成员同时写下的内容。");
    await page.getByLabel("标签").fill("巡检，机器人");
    await page.getByRole("button", { name: "发布修改", exact: true }).click();
    await expect(page.getByRole("alert")).toHaveText(/在你编辑期间，别人已经保存了新的版本/);
    await expect(page.getByText(/最近一次保存：李工（工作室管理员）/)).toBeVisible();
    await expect(page).toHaveURL(/\/edit$/);
    await expect(bodyEditor(page)).toHaveText("原始正文。成员同时写下的内容。");
    await expect(page.getByLabel("标签")).toHaveValue("巡检，机器人");

    // nothing of the stale edit was published
    await page.goto(`/results/${slug}`);
    await expect(page.getByRole("region", { name: "成果介绍" })).toContainText("管理员补充的内容。");
    await expect(page.getByRole("region", { name: "成果介绍" })).not.toContainText("成员同时写下的内容。");
  });
});

test("history lists the versions and restoring an older body publishes it again", async ({ page }) => {
  test.setTimeout(60_000);
  await logIn(page, "member@demo.example");
  const slug = await publishSimpleResult(page, unique("焊接机器人离线编程"), "第一版的正文。");

  await page.getByRole("link", { name: "编辑成果" }).click();
  const editor = await editorReady(page);
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("第二版的正文。");
  await expect(editor).toHaveText("第二版的正文。");
  await publish(page, slug, "发布修改");
  await expect(page.getByRole("region", { name: "成果介绍" })).toHaveText(/第二版的正文。/);

  await page.goto(`/results/${slug}/history`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/的修改历史/);
  const versions = page.getByRole("listitem").filter({ hasText: /^第 \d+ 版/ });
  await expect(versions).toHaveCount(2);
  await expect(versions.filter({ hasText: "第 2 版" })).toContainText("当前版本");
  await expect(versions.filter({ hasText: "第 2 版" })).toContainText("张工（成员）");
  await expect(versions.filter({ hasText: "第 2 版" }).getByRole("button", { name: "恢复此版本的正文" })).toHaveCount(0);

  // view the older body, then restore it
  await versions.filter({ hasText: "第 1 版" }).getByRole("link", { name: "查看" }).click();
  await expect(page.getByRole("complementary").getByText("第一版的正文。")).toBeVisible();
  await versions.filter({ hasText: "第 1 版" }).getByRole("button", { name: "恢复此版本的正文" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已恢复第 1 版的正文，并发布为新版本。" })).toBeVisible();
  await expect(versions).toHaveCount(3);
  await expect(versions.filter({ hasText: "第 3 版" })).toContainText("当前版本");

  await page.goto(`/results/${slug}`);
  const body = page.getByRole("region", { name: "成果介绍" });
  await expect(body).toContainText("第一版的正文。");
  await expect(body).not.toContainText("第二版的正文。");
});
