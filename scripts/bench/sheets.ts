// npx tsx scripts/bench/sheets.ts [rows]: imports a generated ledger of 10,000 enterprise needs (企业需求台账)
// into a fresh database with the seed content, through the same two steps as /admin/import — the
// check and preview, then the confirmation's one transaction — and prints the time of each and rows/s.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migratedDatabase } from "./util";

const rows = Number(process.argv[2] ?? 10_000);
const tmp = mkdtempSync(path.join(tmpdir(), "hub-sheets-bench-"));
const file = path.join(tmp, "hub.db");
process.env.DATABASE_URL = `file:${file}`;
process.env.SESSION_SECRET ??= "sheets-bench-secret-0123456789abcdef";
migratedDatabase(file);

const { db } = await import("~/utils/db.server");
const { importContent } = await import("~/models/content-import.server");
const { stageSheetImport, commitSheetImport } = await import("~/models/sheets/import.server");
const { needsWorkbook } = await import("../../tests/fixtures/sheets");

try {
  const seeded = await importContent(db, "content");
  if (!seeded.ok) throw new Error(JSON.stringify(seeded.problems));
  const user = await db.user.create({ data: { email: "bench@example.cn", name: "表格基准", role: "coordinator", passwordHash: "-" } });
  const bytes = await needsWorkbook(rows, "装备制造");
  const me = { ...user, memberships: [] };

  let t0 = performance.now();
  const staged = await stageSheetImport(me, { name: "bench.xlsx", bytes }, "zh-CN");
  const checkMs = performance.now() - t0;
  if (!staged.ok) throw new Error(JSON.stringify(staged.problems.slice(0, 5)));
  t0 = performance.now();
  const done = await commitSheetImport(me, staged.token, "zh-CN");
  const commitMs = performance.now() - t0;
  if (!done.ok) throw new Error(JSON.stringify(done));
  const total = checkMs + commitMs;
  console.log(`sheet import of ${rows} need rows (${(bytes.length / 1024).toFixed(0)} KB .xlsx), ${done.counts.needs.created} created`);
  console.log(`  check + preview  ${(checkMs / 1000).toFixed(1)} s`);
  console.log(`  confirm (write)  ${(commitMs / 1000).toFixed(1)} s   (checks again, then one transaction)`);
  console.log(`  total            ${(total / 1000).toFixed(1)} s   ${Math.round(rows / (total / 1000))} rows/s`);
} finally {
  await db.$disconnect();
  rmSync(tmp, { recursive: true, force: true });
}
