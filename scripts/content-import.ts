// npm run content:import -- <dir>
import path from "node:path";
import { formatReport, importContent } from "~/models/content-import.server";
import { createDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { migrate } from "./migrate";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: npm run content:import -- <folder in the content format>");
  process.exit(2);
}
await migrate();
const db = createDb(getEnv().databaseFile);
const report = await importContent(db, path.resolve(dir));
console.log(formatReport(report));
await db.$disconnect();
process.exit(report.ok ? 0 : 1);
