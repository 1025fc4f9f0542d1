import type ExcelJS from "exceljs";
import { PassThrough, Readable } from "node:stream";
import type { CellValue } from "./columns.server";

// Workbooks in and out: tables written as .xlsx (exceljs's streaming writer, so a big list is sent
// as it is written rather than built whole in memory) or as CSV, and .xlsx files read back as text.

export interface Table {
  /** the sheet's name (at most 31 characters in Excel) */
  name: string;
  /** a line above the header: what the table is (the dashboard's captions) */
  caption?: string;
  columns: { header: string; width?: number }[];
  rows: CellValue[][];
}

// exceljs holds ~30 MB once loaded: a server process loads it the first time a sheet is written or read
// (docs/performance.md, memory), not at start
let excel: typeof ExcelJS | null = null;
async function loadExcel(): Promise<typeof ExcelJS> {
  excel ??= (await import("exceljs")).default;
  return excel;
}

const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF7" } };

/** Excel refuses sheet names over 31 characters or with []:*?/\ in them, and two of the same name. */
function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, " ").slice(0, 31) || "Sheet";
  let n = base;
  for (let i = 2; taken.has(n.toLowerCase()); i++) n = `${base.slice(0, 28)} ${i}`;
  taken.add(n.toLowerCase());
  return n;
}

/** The tables as an .xlsx stream, written row by row as the response is read. */
export function xlsxStream(tables: Table[]): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  void (async () => {
    const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const taken = new Set<string>();
    for (const table of tables) {
      const ws = wb.addWorksheet(sheetName(table.name, taken), { views: [{ state: "frozen", ySplit: table.caption ? 2 : 1 }] });
      ws.columns = table.columns.map((c) => ({ width: c.width ?? 16 }));
      if (table.caption) {
        const cap = ws.addRow([table.caption]);
        cap.font = { bold: true, size: 12 };
        cap.commit();
      }
      const head = ws.addRow(table.columns.map((c) => c.header));
      head.font = { bold: true };
      head.eachCell((cell) => (cell.fill = HEADER_FILL));
      head.commit();
      for (const row of table.rows) {
        const r = ws.addRow(row.map(cellOut));
        r.alignment = { vertical: "top", wrapText: true };
        r.commit();
        // let the response drain between rows of a long list
        if (out.writableNeedDrain) await new Promise((resolve) => out.once("drain", resolve));
      }
      ws.commit();
    }
    await wb.commit();
  })().catch((e) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** A whole workbook in memory (the import template, and tests). */
export async function xlsxBuffer(tables: Table[], build?: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  const taken = new Set<string>();
  for (const table of tables) {
    const ws = wb.addWorksheet(sheetName(table.name, taken), { views: [{ state: "frozen", ySplit: 1 }] });
    ws.columns = table.columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).eachCell((cell) => (cell.fill = HEADER_FILL));
    for (const row of table.rows) ws.addRow(row.map(cellOut)).alignment = { vertical: "top", wrapText: true };
  }
  build?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// cells are data, never formulas: exceljs writes a string as a string, so "=1+1" stays text
const cellOut = (v: CellValue) => (v === null ? "" : v);

/**
 * CSV in UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly. A text cell that
 * starts like a formula (= + - @) gets a leading apostrophe: Excel would run it otherwise.
 */
export function csvText(tables: Table[]): string {
  const lines: string[] = [];
  tables.forEach((table, i) => {
    if (i > 0) lines.push("");
    if (table.caption ?? (tables.length > 1 ? table.name : undefined)) lines.push(csvRow([table.caption ?? table.name]));
    lines.push(csvRow(table.columns.map((c) => c.header)));
    for (const row of table.rows) lines.push(csvRow(row));
  });
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

function csvRow(cells: CellValue[]): string {
  return cells
    .map((c) => {
      if (c === null) return "";
      if (typeof c === "number") return String(c);
      const s = /^[=+\-@\t\r]/.test(c) ? `'${c}` : c;
      return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(",");
}

// ── reading ──

export interface ReadSheet {
  name: string;
  /** row 1's cells */
  header: string[];
  /** every row after the first, with its row number in the sheet; blank rows left out */
  rows: { row: number; cells: string[] }[];
}

export type ReadOutcome = { ok: true; sheets: ReadSheet[] } | { ok: false; reason: "unreadable" | "tooManyRows" };

/** Every sheet of an .xlsx file as text. `maxRows` bounds the rows of all sheets together. */
export async function readXlsx(bytes: Uint8Array, maxRows: number): Promise<ReadOutcome> {
  const wb = new (await loadExcel()).Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  const sheets: ReadSheet[] = [];
  let total = 0;
  for (const ws of wb.worksheets) {
    const header: string[] = [];
    const rows: ReadSheet["rows"] = [];
    let tooMany = false;
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      const values = row.values as ExcelJS.CellValue[];
      const cells = Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1]));
      if (n === 1) header.push(...cells.map((c) => c.trim()));
      else if (cells.some((c) => c.trim())) {
        if (++total > maxRows) tooMany = true;
        else rows.push({ row: n, cells });
      }
    });
    if (tooMany) return { ok: false, reason: "tooManyRows" };
    sheets.push({ name: ws.name.trim(), header, rows });
  }
  return { ok: true, sheets };
}

/** A cell's value as the text a person sees: numbers as written, dates as YYYY-MM-DD, rich text joined. */
export function cellText(v: ExcelJS.CellValue | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    if ("richText" in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join("");
    if ("formula" in v || "sharedFormula" in v) return cellText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ("text" in v) return cellText((v as ExcelJS.CellHyperlinkValue).text as ExcelJS.CellValue);
  }
  return "";
}
