import { chromium } from "@playwright/test";
const base = process.argv[2], out = process.argv[3];
const shots = JSON.parse(process.argv[4]);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
for (const s of shots) {
  const ctx = await browser.newContext({ viewport: { width: s.w ?? 1280, height: 900 }, locale: s.lang ?? "zh-CN" });
  const page = await ctx.newPage();
  if (s.lang === "en") await ctx.addCookies([]);
  if (s.user) {
    await page.goto(base + "/login");
    await page.getByLabel(/邮箱|Email/).fill(s.user);
    await page.getByLabel(/^密码$|^Password$/).fill("demo-password-2026");
    await page.getByRole("button", { name: /登录|Sign in/ }).click();
    await page.waitForLoadState("networkidle");
  }
  await page.goto(base + s.url);
  await page.screenshot({ path: `${out}/${s.name}.png`, fullPage: true });
  console.log("shot", s.name, page.url());
  await ctx.close();
}
await browser.close();
