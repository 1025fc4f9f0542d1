import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// 需求对接 as three people live it: a visitor on a result page follows 联系工作室, is asked to sign
// in and comes back to the form; signed in (the enterprise contact), they send the studio a message;
// the studio's admin finds it in the inbox with the sender's contact; a coordinator turns it into a
// need in one step. Once in Chinese at desktop width, once in English at phone width, with
// screenshots under tests/.tmp/screens/.

const PASSWORD = "demo-password-2026";
const ENTERPRISE = "enterprise@demo.example";
const COORDINATOR = "coordinator@demo.example";
const SIGNAL_ADMIN = "signal-admin@demo.example";
const RESULT = { slug: "cbtc-signal-fault-replay-platform", title: "CBTC信号系统故障回放分析平台" };

type Lang = "zh-CN" | "en";
const L = {
  "zh-CN": {
    email: "电子邮箱",
    password: "密码",
    login: "登录",
    logout: "退出",
    contact: "联系工作室",
    signIn: "登录后联系工作室",
    message: "你的需求",
    contactWay: "联系方式",
    send: "发送给工作室",
    sent: "已发送给",
    convert: "转为需求",
    from: "由发给郑州地铁信号系统工匠创新工作室的对接消息转来",
  },
  en: {
    email: "Email",
    password: "Password",
    login: "Log in",
    logout: "Log out",
    contact: "Contact the studio",
    signIn: "Sign in to contact the studio",
    message: "What you need",
    contactWay: "How to reach you",
    send: "Send to the studio",
    sent: "Sent to the admins of",
    convert: "Turn into a need",
    from: "Turned from an enquiry to 郑州地铁信号系统工匠创新工作室",
  },
} as const;

async function signIn(page: Page, email: string, lang: Lang) {
  const l = L[lang];
  await page.getByLabel(l.email).fill(email);
  await page.getByLabel(l.password, { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: l.login }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: l.logout })).toBeVisible();
}

async function person(browser: Browser, baseURL: string | undefined, email: string, lang: Lang, width: number): Promise<Page> {
  const page = await (await browser.newContext({ baseURL, locale: lang, viewport: { width, height: 900 } })).newPage();
  await page.goto("/login");
  await signIn(page, email, lang);
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: `tests/.tmp/screens/${name}.png`, fullPage: true });

for (const [lang, width] of [
  ["zh-CN", 1280],
  ["en", 390],
] as const) {
  test(`an enquiry from a result page reaches the studio and becomes a need (${lang}, ${width}px)`, async ({ browser, baseURL }) => {
    test.setTimeout(120_000);
    const l = L[lang];
    const tag = `${lang}-${width}`;
    const message = `${lang === "en" ? "Our bearing lines log faults daily; could your replay platform help us find causes?" : "我们轴承生产线每天都有设备故障日志，想借鉴你们的故障回放平台找原因。"} ${Date.now().toString(36).slice(-5)}`;
    let enquiryUrl = "";

    await test.step("a visitor follows 联系工作室, is asked to sign in, and comes back to the form", async () => {
      const page = await (await browser.newContext({ baseURL, locale: lang, viewport: { width, height: 900 } })).newPage();
      await page.goto(`/results/${RESULT.slug}`);
      await page.getByRole("link", { name: l.contact, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`/studios/metro-signal/contact\\?result=${RESULT.slug}$`));
      await expect(page.getByRole("link", { name: l.signIn })).toBeVisible();
      await expect(page.getByLabel(l.message)).toHaveCount(0);
      await shot(page, `enquiry-${tag}-1-sign-in`);
      await page.getByRole("link", { name: l.signIn }).click();
      await signIn(page, ENTERPRISE, lang);
      await expect(page).toHaveURL(new RegExp(`/studios/metro-signal/contact\\?result=${RESULT.slug}$`));

      await page.getByLabel(l.message).fill(message);
      await page.getByLabel(l.contactWay).fill("0371-6688 1234");
      await shot(page, `enquiry-${tag}-2-form`);
      await page.getByRole("button", { name: l.send }).click();
      await expect(page.getByRole("status")).toContainText(l.sent);
      await shot(page, `enquiry-${tag}-3-sent`);
      await page.context().close();
    });

    await test.step("the studio's admin finds it in the inbox, with the sender's contact", async () => {
      const page = await person(browser, baseURL, SIGNAL_ADMIN, lang, width);
      await page.goto("/inbox");
      const notice = page
        .getByRole("button", {
          name: lang === "en" ? /sent 郑州地铁信号系统工匠创新工作室 an enquiry about/ : /就成果“CBTC信号系统故障回放分析平台”给郑州地铁信号系统工匠创新工作室发来对接消息/,
        })
        .first();
      await notice.click();
      await expect(page).toHaveURL(/\/enquiries\/[a-z0-9]+$/);
      enquiryUrl = new URL(page.url()).pathname;
      await expect(page.getByText(message)).toBeVisible();
      await expect(page.getByText("0371-6688 1234")).toBeVisible();
      // converting is a coordinator's step
      await expect(page.getByRole("button", { name: l.convert })).toHaveCount(0);
      await shot(page, `enquiry-${tag}-4-admin`);
      // and the studio page lists it for its admin
      await page.goto("/studios/metro-signal");
      await expect(
        page
          .getByRole("region", { name: lang === "en" ? "Enquiries received" : "收到的对接消息" })
          .getByText("0371-6688 1234")
          .first(),
      ).toBeVisible();
      await page.context().close();
    });

    await test.step("a coordinator turns it into a need in one step", async () => {
      const page = await person(browser, baseURL, COORDINATOR, lang, width);
      await page.goto(enquiryUrl);
      const form = page.getByRole("region", { name: l.convert });
      await expect(form.getByLabel(lang === "en" ? "Skills needed" : "所需技能")).not.toHaveValue("");
      await shot(page, `enquiry-${tag}-5-convert`);
      await form.getByRole("button", { name: l.convert }).click();
      await expect(page).toHaveURL(/\/needs\/[^/?]+\?done=submit$/);
      await expect(page.getByRole("region", { name: lang === "en" ? "Timeline" : "办理进程" }).getByText(l.from)).toBeVisible();
      await shot(page, `enquiry-${tag}-6-need`);
      await page.goto(enquiryUrl);
      await expect(page.getByRole("link", { name: lang === "en" ? /Turned into the need/ : /已转为需求：/ })).toBeVisible();
      await page.context().close();
    });
  });
}
