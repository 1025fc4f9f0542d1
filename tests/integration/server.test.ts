// server.mjs's own settings, checked before it loads anything (the browser suite runs it with two
// processes for everything else).
import { spawnSync } from "node:child_process";
import { expect, test } from "vitest";

test.each(["0", "two", "1.5", "-3"])("WEB_CONCURRENCY=%s is refused with a message naming the setting", (value) => {
  const r = spawnSync(process.execPath, ["server.mjs"], { env: { ...process.env, WEB_CONCURRENCY: value, PORT: "0" }, encoding: "utf8", timeout: 20_000 });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`WEB_CONCURRENCY must be a whole number from 1 to 64, not "${value}"`);
});
