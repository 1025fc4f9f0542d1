import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, inject, vi } from "vitest";
import { baseDbIn } from "./paths";
import { copyOfTemplate } from "./postgres";

// Each test file gets its own database file, copied from the migrated base, before any app
// module reads DATABASE_URL. Tests that need a clean database per test use tests/setup/db.ts.
// The file sits in a folder of its own because uploads (and the default mail outbox) are kept
// beside the database: test files running side by side never see each other's files.
const runDir = inject("testRunDir");
const dir = path.join(runDir, `file-${process.pid}-${Math.random().toString(36).slice(2)}`);
mkdirSync(dir, { recursive: true });
const template = inject("testPostgresTemplate");
if (template) {
  // TEST_DATABASE=postgresql: a database of this file's own, copied from the migrated template;
  // uploads and mail stay in the file's folder
  process.env.DATABASE_URL = await copyOfTemplate(template);
  process.env.DATA_DIR = dir;
} else {
  const file = path.join(dir, "hub.db");
  copyFileSync(baseDbIn(runDir), file);
  process.env.DATABASE_URL = `file:${file}`;
}
process.env.SESSION_SECRET ??= "test-session-secret-0123456789abcdef";
// links in mail come from configuration only; tests send their requests to http://localhost
process.env.PUBLIC_URL ??= "http://localhost";

// an unexpected console.error fails the test
let errorSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  errorSpy = vi.spyOn(console, "error");
});
afterEach(() => {
  const calls = errorSpy.mock.calls;
  errorSpy.mockRestore();
  if (calls.length) throw new Error(`console.error was called:\n${calls.map((c: unknown[]) => c.map(String).join(" ")).join("\n")}`);
});
