// npx tsx scripts/bench/sheets.ts [rows] [needs|people|studios …] [--update]: imports a generated
// ledger of `rows` (10,000) enterprise needs (企业需求台账), people of the talent base (人员台账) or
// studios with their leader and members (工作室台账) — needs when no noun is named — into a fresh
// database with the seed content, through the same two steps as /admin/import (the check and
// preview, then the confirmation's one transaction), and prints the time of each, rows/s and the
// cost of a row. With --update, the ledger is then imported again with a change in every row
// (needs: one more skill and a sentence more; people: another title and one more skill; studios:
// one more specialty and a third member), as an exported ledger edited and re-imported, timed the
// same way.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migratedDatabase } from "./util";

const rows = Number(process.argv[2] ?? 10_000);
const NOUNS = ["needs", "people", "studios"] as const;
type Noun = (typeof NOUNS)[number];
const nouns = process.argv.slice(3).filter((a): a is Noun => (NOUNS as readonly string[]).includes(a));
const update = process.argv.includes("--update");
const tmp = mkdtempSync(path.join(tmpdir(), "hub-sheets-bench-"));
const file = path.join(tmp, "hub.db");
process.env.DATABASE_URL = `file:${file}`;
process.env.SESSION_SECRET ??= "sheets-bench-secret-0123456789abcdef";
migratedDatabase(file);

const { db } = await import("~/utils/db.server");
const { importContent } = await import("~/models/content-import.server");
const { stageSheetImport, commitSheetImport } = await import("~/models/sheets/import.server");
const { needsWorkbook, peopleWorkbook, studiosWorkbook } = await import("../../tests/fixtures/sheets");

try {
  const seeded = await importContent(db, "content");
  if (!seeded.ok) throw new Error(JSON.stringify(seeded.problems));
  const user = await db.user.create({ data: { email: "bench@example.cn", name: "表格基准", role: "coordinator", passwordHash: "-" } });
  const me = { ...user, memberships: [] };
  const studios = (await db.studio.findMany({ select: { slug: true }, orderBy: { slug: "asc" } })).map((s) => s.slug);

  /** Checks and previews a workbook, then confirms it; prints the times. */
  const run = async (noun: Noun, bytes: Uint8Array, what: string) => {
    let t0 = performance.now();
    const staged = await stageSheetImport(me, { name: "bench.xlsx", bytes }, "zh-CN");
    const checkMs = performance.now() - t0;
    if (!staged.ok) throw new Error(JSON.stringify(staged.problems.slice(0, 5)));
    t0 = performance.now();
    const done = await commitSheetImport(me, staged.token, "zh-CN");
    const commitMs = performance.now() - t0;
    if (!done.ok) throw new Error(JSON.stringify(done));
    const total = checkMs + commitMs;
    const c = done.counts[noun];
    console.log(`sheet ${what} of ${rows} ${noun} rows (${(bytes.length / 1024).toFixed(0)} KB .xlsx), ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`);
    console.log(`  check + preview  ${(checkMs / 1000).toFixed(1)} s`);
    console.log(`  confirm (write)  ${(commitMs / 1000).toFixed(1)} s   (checks again, then one transaction)`);
    console.log(
      `  total            ${(total / 1000).toFixed(1)} s   ${Math.round(rows / (total / 1000))} rows/s, ${(total / rows).toFixed(1)} ms a row (writing ${(commitMs / rows).toFixed(1)} ms)`,
    );
  };

  for (const noun of nouns.length ? nouns : (["needs"] as Noun[])) {
    const bytes = noun === "needs" ? await needsWorkbook(rows, "装备制造") : noun === "people" ? await peopleWorkbook(rows, studios) : await studiosWorkbook(rows, "装备制造");
    await run(noun, bytes, "import");
    if (update && noun === "needs") await run(noun, await needsWorkbook(rows, "装备制造", { skill: "数字孪生" }), "update");
    if (update && noun === "people") await run(noun, await peopleWorkbook(rows, studios, { title: "首席技师", skill: "数字孪生" }), "update");
    if (update && noun === "studios") await run(noun, await studiosWorkbook(rows, "装备制造", { specialty: "数字孪生" }), "update");
  }
} finally {
  await db.$disconnect();
  rmSync(tmp, { recursive: true, force: true });
}
