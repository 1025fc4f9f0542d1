// npm run db:copy -- <from> <to>: a whole hub from one database to another (docs/backup.md)
import { CopyRefused, copyDatabase, formatReport } from "./db-move/copy";

const HELP = `usage: npm run db:copy -- <from> <to>

Copies a whole hub — every table of the schema, with its ids — from one database to another:
SQLite to PostgreSQL, PostgreSQL to SQLite, or SQLite to SQLite. Each of <from> and <to> is a
SQLite file (file:./data/hub.db or a path) or a postgresql:// URL of an existing database.

  - the source must be at this checkout's migration level (the same migrations applied);
  - the target is migrated first (a SQLite file is created when missing) and must be empty:
    a target with rows in any table of the hub is refused, and nothing is written;
  - rows are copied in one transaction on the target, from one snapshot of the source, so the
    site may keep running on the source while it copies (later writes are not copied);
  - afterwards the row count and a sha256 checksum of every table are compared and printed;
    the command exits with 1 when any differ.

Uploads are files, not rows: copy the uploads folder (data/uploads, or DATA_DIR/uploads) yourself.`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(HELP);
  process.exit(0);
}
const [from, to, ...rest] = args;
if (!from || !to || rest.length) {
  console.error(HELP);
  process.exit(2);
}
try {
  const report = await copyDatabase(from, to, { log: (line) => console.log(line) });
  console.log(formatReport(report));
  process.exit(report.ok ? 0 : 1);
} catch (e) {
  console.error(e instanceof CopyRefused ? `db:copy refused: ${e.message}` : `db:copy failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
}
