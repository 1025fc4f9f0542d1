import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
/** Mail the app sends during browser tests lands here (tests read confirmation and invitation links). */
export const MAIL_DIR = `tests/.tmp/mail-${PORT}`;
/**
 * E2E_DATABASE_URL=postgresql://…/<name>: the server runs on that PostgreSQL database instead,
 * recreated empty first (scripts/test.sh runs the core journeys so, issue 14).
 */
const PG_URL = process.env.E2E_DATABASE_URL;

// Debian's Chromium, never a downloaded browser (STACK.md). The server is the real built app on
// its own database, started the way `npm start` starts it.
export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 30_000,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: "zh-CN",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [{ name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: `rm -rf tests/.tmp/e2e-${PORT}.db* tests/.tmp/mail-${PORT} tests/.tmp/data-${PORT} && ${PG_URL ? `node scripts/pg-fresh-db.mjs ${PG_URL} && ` : ""}npm start`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    env: {
      PORT: String(PORT),
      DATABASE_URL: PG_URL ?? `file:./tests/.tmp/e2e-${PORT}.db`,
      // uploads and the like: on SQLite beside the database file, on PostgreSQL a folder of this run's
      ...(PG_URL ? { DATA_DIR: `tests/.tmp/data-${PORT}` } : {}),
      MAIL_OUTBOX_DIR: MAIL_DIR,
      // links in mail come from configuration, never from the request: the address tests open
      PUBLIC_URL: `http://127.0.0.1:${PORT}`,
      SESSION_SECRET: "e2e-session-secret-0123456789abcdef",
      // plain http on 127.0.0.1: the session cookie cannot be Secure here
      INSECURE_COOKIES: "1",
      // two server processes, as in production on this two-core machine: every test then also
      // shows that what one process writes, the other serves (caches follow the database)
      WEB_CONCURRENCY: "2",
    },
    stdout: "ignore",
    stderr: "pipe",
  },
});
