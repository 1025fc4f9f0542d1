import type { Page } from "@playwright/test";
import ExcelJS from "exceljs";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { peopleWorkbook } from "../fixtures/sheets";
import { expect, test } from "./fixtures";

// 台账 as a coordinator keeps it: download the import template, fill in a studio in Excel, upload it,
// read the preview, confirm, and find the new studio on the site; a sheet with a mistake is
// answered with the sheet, row and column of it. A list page's 导出 Excel gives its rows.
// Screenshots go to /tmp/shots-sheets/.

const PASSWORD = "demo-password-2026";
const SHOTS = "/tmp/shots-sheets";
const TMP = "tests/.tmp/sheets-e2e";

const L = {
  "zh-CN": {
    email: "电子邮箱",
    password: "密码",
    login: "登录",
    logout: "退出",
    importLink: "表格导入（Excel）",
    title: "表格导入",
    template: "下载导入模板（.xlsx）",
    file: "Excel 文件（.xlsx，最大 10 MB）",
    upload: "上传并检查",
    preview: "预览：确认后将写入以下变更",
    confirm: "确认导入",
    done: "导入完成。",
    studios: "工作室",
    people: "人员",
    progress: "导入进度",
    written: /已写入 \d+ \/ 3001 行（\d+%）/,
    problems: "问题清单",
    exportXlsx: "导出 Excel",
  },
  en: {
    email: "Email",
    password: "Password",
    login: "Log in",
    logout: "Log out",
    importLink: "Import from Excel",
    title: "Import from a spreadsheet",
    template: "Download the import template (.xlsx)",
    file: "Excel file (.xlsx, at most 10 MB)",
    upload: "Upload and check",
    preview: "Preview: confirming writes these changes",
    confirm: "Confirm the import",
    done: "Import done.",
    studios: "Studios",
    people: "People",
    progress: "Import progress",
    written: /\d+ of 3001 rows written \(\d+%\)/,
    problems: "Problems",
    exportXlsx: "Export Excel",
  },
} as const;
type Lang = keyof typeof L;

async function logIn(page: Page, email: string, lang: Lang) {
  const l = L[lang];
  await page.goto("/login");
  await page.getByLabel(l.email).fill(email);
  await page.getByLabel(l.password, { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: l.login }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: l.logout })).toBeVisible();
}

/** The template, downloaded from the page, with one more studio filled in below the example row. */
async function fillTemplate(page: Page, lang: Lang, studio: string, level: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: L[lang].template }).click()]);
  mkdirSync(TMP, { recursive: true });
  const template = path.join(TMP, `template-${lang}.xlsx`);
  await download.saveAs(template);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(template);
  const ws = wb.getWorksheet("工作室")!;
  const example = (ws.getRow(2).values as ExcelJS.CellValue[]).slice(1);
  const head = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const row = example.map((v, i) => (head[i] === "标识" ? "" : head[i] === "工作室名称" ? studio : head[i] === "级别" ? level : v));
  ws.addRow(row);
  const filled = path.join(TMP, `filled-${lang}-${Date.now()}.xlsx`);
  await wb.xlsx.writeFile(filled);
  return filled;
}

for (const [lang, width] of [
  ["zh-CN", 1280],
  ["en", 390],
] as const) {
  test(`a coordinator imports a studio from the template (${lang}, ${width}px)`, async ({ browser, baseURL }) => {
    const l = L[lang];
    const context = await browser.newContext({ baseURL, locale: lang, viewport: { width, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await logIn(page, "coordinator@demo.example", lang);
    await page.goto("/dashboard");
    await page.getByRole("link", { name: l.importLink }).click();
    await expect(page.getByRole("heading", { level: 1, name: l.title })).toBeVisible();

    const studio = `表格导入测试工作室${Date.now().toString(36)}`;
    const filled = await fillTemplate(page, lang, studio, "省级");
    await page.getByLabel(l.file).setInputFiles(filled);
    await page.getByRole("button", { name: l.upload }).click();
    await expect(page.getByRole("heading", { name: l.preview })).toBeVisible();
    // one new studio; the template's example row is skipped
    await expect(page.getByRole("table", { name: l.preview }).getByRole("row", { name: new RegExp(`^${l.studios} 1 0 0$`) })).toBeVisible();
    await expect(page.getByText(studio)).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `${SHOTS}/preview-${lang}-${width}.png`, fullPage: true });

    await page.getByRole("button", { name: l.confirm }).click();
    await expect(page.getByRole("heading", { name: l.done })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/done-${lang}-${width}.png`, fullPage: true });
    await page.getByRole("link", { name: studio }).click();
    await expect(page.getByRole("heading", { level: 1, name: studio })).toBeVisible();
    await context.close();
  });
}

for (const [lang, width] of [
  ["zh-CN", 390],
  ["en", 1280],
] as const) {
  test(`a sheet with a mistake is answered with its sheet, row and column, and the list exports (${lang}, ${width}px)`, async ({ browser, baseURL }) => {
    const l = L[lang];
    const context = await browser.newContext({ baseURL, locale: lang, viewport: { width, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await logIn(page, "coordinator@demo.example", lang);
    await page.goto("/admin/import");
    const filled = await fillTemplate(page, lang, "表格错误测试工作室", "县级");
    await page.getByLabel(l.file).setInputFiles(filled);
    await page.getByRole("button", { name: l.upload }).click();
    const problems = page.getByRole("table", { name: l.problems });
    await expect(problems).toBeVisible();
    const level = lang === "en" ? "must be one of: National, Provincial, Municipal, Enterprise" : "应为以下之一：全国级、省级、市级、企业级";
    await expect(problems.getByRole("row", { name: new RegExp(`工作室 .*3.* 级别 ${level}`) })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `${SHOTS}/problems-${lang}-${width}.png`, fullPage: true });

    await page.goto("/studios?level=provincial");
    await page.screenshot({ path: `${SHOTS}/studios-${lang}-${width}.png` });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: l.exportXlsx }).click()]);
    const file = path.join(TMP, `studios-${lang}.xlsx`);
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const levels = new Set<string>();
    wb.worksheets[0].eachRow((row, n) => n > 1 && levels.add(String(row.getCell(7).value)));
    expect([...levels]).toEqual([lang === "en" ? "Provincial" : "省级"]);
    await context.close();
  });
}

/** A ledger of one new studio and `people` people in it: big enough that writing it takes seconds. */
async function bigLedger(studio: string, people: number): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await peopleWorkbook(people, [studio])) as unknown as ArrayBuffer);
  const ws = wb.addWorksheet("工作室");
  ws.addRow(["工作室名称", "所属企业", "领衔人", "级别", "行业", "产业类别", "专长", "成立年份", "简介"]);
  ws.addRow([studio, "郑州表格进度测试有限公司", "进度领衔人", "市级", "装备制造", "传统产业", "数控维修", 2020, "用于检验导入进度条的工作室。"]);
  mkdirSync(TMP, { recursive: true });
  const file = path.join(TMP, `big-${Date.now()}.xlsx`);
  await wb.xlsx.writeFile(file);
  return file;
}

for (const [lang, width, other] of [
  ["zh-CN", 1280, 390],
  ["en", 390, 1280],
] as const) {
  test(`a large ledger shows its progress while it is written, then the summary (${lang}, ${width}px)`, async ({ browser, baseURL }) => {
    test.setTimeout(180_000);
    const l = L[lang];
    const context = await browser.newContext({ baseURL, locale: lang, viewport: { width, height: 900 } });
    const page = await context.newPage();
    await logIn(page, "coordinator@demo.example", lang);
    await page.goto("/admin/import");
    const studio = `进度条测试工作室${lang === "en" ? "乙" : "甲"}${Date.now().toString(36)}`;
    await page.getByLabel(l.file).setInputFiles(await bigLedger(studio, 3_000));
    await page.getByRole("button", { name: l.upload }).click();
    await expect(page.getByRole("heading", { name: l.preview })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole("table", { name: l.preview }).getByRole("row", { name: new RegExp(`^${l.people} 3000 0 0$`) })).toBeVisible();

    // every value the bar shows while the confirmation runs, as the page draws it
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector("main progress[max]");
        const v = bar && `${bar.getAttribute("value")}/${bar.getAttribute("max")}`;
        if (v && seen[seen.length - 1] !== v) seen.push(v);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByRole("button", { name: l.confirm }).click();
    const bar = page.getByRole("progressbar", { name: l.progress });
    await expect(bar).toBeVisible();
    await page.waitForFunction(() => Number(document.querySelector("main progress[max]")?.getAttribute("value")) > 0, null, { timeout: 60_000, polling: 50 });
    await expect(page.getByRole("status").filter({ hasText: l.written })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/progress-${lang}-${width}.png`, fullPage: true });

    await expect(page.getByRole("heading", { name: l.done })).toBeVisible({ timeout: 120_000 });
    await expect(page.getByRole("table", { name: l.done }).getByRole("row", { name: new RegExp(`^${l.people} 3000 0 0$`) })).toBeVisible();
    await expect(bar).toHaveCount(0);
    // the bar filled in steps: several distinct values, never going back, out of all 3,001 rows
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    const done = seen.map((v) => Number(v.split("/")[0]));
    expect(
      seen.every((v) => v.endsWith("/3001")),
      seen.join(" "),
    ).toBe(true);
    expect(new Set(done.filter((n) => n > 0 && n < 3001)).size, seen.join(" ")).toBeGreaterThanOrEqual(2);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `${SHOTS}/big-done-${lang}-${width}.png`, fullPage: true });
    await page.setViewportSize({ width: other, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(other);
    await page.screenshot({ path: `${SHOTS}/big-done-${lang}-${other}.png`, fullPage: true });
    await page.getByRole("link", { name: studio }).click();
    await expect(page.getByRole("heading", { level: 1, name: studio })).toBeVisible();
    await context.close();
  });
}
