import { expect, test } from "./fixtures";
import { newestMailTo } from "./mail";

// A forgotten password from the login page to signing in with the new one, and the HTTP rules
// for signed-in pages: never cached, odd redirect targets never a 500.

test.describe("a forgotten password", () => {
  // a mistyped form answers 400 and a used link 410: the browser logs both as failed loads
  // written as [value, options]: Playwright would read a bare array of regular expressions as one
  test.use({ allowedConsoleErrors: [[/status of 400/, /status of 410/], { scope: "test" }] });

  test("a user who forgot the password resets it from the login page's link and signs in with the new one", async ({ page }) => {
    test.setTimeout(60_000);
    const email = `forgot-${Date.now().toString(36)}@example.com`;
    await page.goto("/register");
    await page.getByLabel("姓名").fill("卫工");
    await page.getByLabel("电子邮箱").fill(email);
    await page.getByLabel("密码", { exact: true }).fill("first-password-2026");
    await page.getByRole("main").getByRole("button", { name: "注册" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("请查收邮件");
    const confirmation = (await newestMailTo(email)).match(/https?:\/\/\S+\/verify-email\?token=[A-Za-z0-9_-]+/)![0];
    await page.goto(confirmation);
    await expect(page).toHaveURL(/\/account/);
    await page.getByRole("banner").getByRole("button", { name: "退出" }).click();
    await expect(page.getByRole("banner").getByRole("link", { name: "登录" })).toBeVisible();

    await page.goto("/login");
    await page.getByRole("link", { name: "忘记密码？" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("重设密码");
    await page.getByLabel("电子邮箱").fill(email);
    await page.getByRole("button", { name: "发送重设链接" }).click();
    await expect(page.getByRole("status")).toContainText(email);

    let mail = "";
    await expect.poll(async () => (mail = await newestMailTo(email)), { message: "the reset mail" }).toContain("/reset-password/");
    const link = mail.match(/https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/)?.[0];
    expect(link).toBeTruthy();
    await page.goto(link!);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("设置新密码");
    await page.getByLabel("新密码", { exact: true }).fill("second-password-2026");
    await page.getByLabel("再次输入新密码").fill("different-password-1");
    await page.getByRole("button", { name: "保存新密码" }).click();
    await expect(page.getByText("两次输入的密码不一致。")).toBeVisible();
    await page.getByLabel("新密码", { exact: true }).fill("second-password-2026");
    await page.getByLabel("再次输入新密码").fill("second-password-2026");
    await page.getByRole("button", { name: "保存新密码" }).click();
    await expect(page).toHaveURL(/\/login\?reset=1/);
    await expect(page.getByRole("status")).toHaveText("密码已重设，请用新密码登录。");

    await page.getByLabel("电子邮箱").fill(email);
    await page.getByLabel("密码", { exact: true }).fill("second-password-2026");
    await page.getByRole("main").getByRole("button", { name: "登录" }).click();
    await expect(page).toHaveURL(/\/account/);

    // the link worked once
    await page.goto(link!);
    await expect(page.getByRole("alert")).toContainText("这个重设链接无效、已经用过或已过期");
  });
});

test("pages for a signed-in user are never stored by a cache; public pages for visitors are revalidated by their tag", async ({ page }) => {
  const anonymous = await page.request.get("/studios");
  expect(anonymous.headers()["cache-control"]).toBe("no-cache");
  expect(anonymous.headers()["etag"]).toMatch(/^W\//);
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill("studio-admin@demo.example");
  await page.getByLabel("密码", { exact: true }).fill("demo-password-2026");
  await page.getByRole("main").getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/account/);
  for (const url of ["/account", "/studios/xu-xin/members", "/inbox", "/studios", "/account.data"]) {
    const res = await page.request.get(url);
    expect(res.status(), url).toBe(200);
    expect(res.headers()["cache-control"], url).toBe("private, no-store");
  }
});

test("a non-ASCII or foreign redirect target after login never answers 500", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill("member@demo.example");
  await page.getByLabel("密码", { exact: true }).fill("demo-password-2026");
  await page.getByRole("main").getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/account/);
  const cjk = await page.request.get("/login?redirectTo=%2F%E7%A0%94%E7%A9%B6", { maxRedirects: 0 });
  expect(cjk.status()).toBe(302);
  expect(cjk.headers()["location"]).toBe("/%E7%A0%94%E7%A9%B6");
  for (const target of ["//evil.example/", "/..//evil.example", "https://evil.example/"]) {
    const res = await page.request.get(`/login?redirectTo=${encodeURIComponent(target)}`, { maxRedirects: 0 });
    expect(res.status(), target).toBe(302);
    expect(res.headers()["location"], target).toBe("/account");
  }
});
