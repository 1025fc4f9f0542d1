import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, prepareAccounts } from "~/models/demo.server";
import { verifyLogin } from "~/utils/auth.server";
import { isPublicDeployment, siteOrigin } from "~/utils/deployment.server";
import { db } from "~/utils/db.server";
import { verifyPassword } from "~/utils/password.server";
import { getUser } from "~/utils/session.server";
import { freshDb } from "../setup/db";
import { getRequest, sessionCookie } from "../setup/auth";

// A newcomer's machine keeps the one-command demo; a deployment others reach (PUBLIC_URL not
// local) never accepts the README's published password (docs/decisions/0013).

describe("telling a public deployment from a local one", () => {
  test.each([
    [undefined, false],
    ["", false],
    ["http://localhost:3000", false],
    ["http://app.localhost", false],
    ["http://127.0.0.1:3101", false],
    ["http://127.8.9.10", false],
    ["http://[::1]:3000", false],
    ["https://hub.example.cn", true],
    ["http://192.168.1.20:3000", true],
    ["https://10.0.0.5", true],
    ["http://localhost.example.com", true],
  ])("PUBLIC_URL=%j → public: %s", (value, expected) => {
    expect(isPublicDeployment(value === undefined ? {} : { PUBLIC_URL: value })).toBe(expected);
  });

  test("a malformed PUBLIC_URL stops with a message naming it", () => {
    expect(() => isPublicDeployment({ PUBLIC_URL: "hub.example.cn" })).toThrow(/PUBLIC_URL must be an http\(s\) address/);
    expect(() => isPublicDeployment({ PUBLIC_URL: "ftp://hub.example.cn" })).toThrow(/PUBLIC_URL/);
  });

  test("links in mail start with PUBLIC_URL's origin, or http://localhost:PORT without it", () => {
    expect(siteOrigin({ PUBLIC_URL: "https://hub.example.cn/some/path/" })).toBe("https://hub.example.cn");
    expect(siteOrigin({ PORT: "3101" })).toBe("http://localhost:3101");
    expect(siteOrigin({})).toBe("http://localhost:3000");
  });
});

describe("demo accounts at start", () => {
  test("a local start on an empty database creates every demo account with the README's password", async () => {
    const local = freshDb();
    try {
      const lines = await prepareAccounts(local.db, { publicDeployment: false, freshDatabase: true, demoAccounts: true });
      expect(lines).toEqual([`demo accounts: ${DEMO_ACCOUNTS.length} created (see README), password ${DEMO_PASSWORD}`]);
      const admin = await local.db.user.findUniqueOrThrow({ where: { email: "admin@demo.example" } });
      expect(admin).toMatchObject({ role: "admin", disabledAt: null });
      expect(await verifyPassword(admin.passwordHash, DEMO_PASSWORD)).toBe(true);
    } finally {
      await local.db.$disconnect();
    }
  });

  test("a public start on an empty database creates none, and says how to make the first admin", async () => {
    const fresh = freshDb();
    try {
      const lines = await prepareAccounts(fresh.db, { publicDeployment: true, freshDatabase: true, demoAccounts: true });
      expect(await fresh.db.user.count()).toBe(0);
      expect(lines).toEqual([expect.stringContaining("npm run admin:create -- --email")]);
    } finally {
      await fresh.db.$disconnect();
    }
  });

  test("a public start disables existing demo accounts with a warning: no sign-in, sessions ended", async () => {
    await prepareAccounts(db, { publicDeployment: false, freshDatabase: true, demoAccounts: true });
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@demo.example" } });
    const cookie = await sessionCookie(admin.id);
    expect(await getUser(getRequest("/", cookie))).toMatchObject({ id: admin.id });
    await expect(verifyLogin("admin@demo.example", DEMO_PASSWORD, "10.3.0.1")).resolves.toEqual({ id: admin.id });

    const lines = await prepareAccounts(db, { publicDeployment: true, freshDatabase: false, demoAccounts: true });
    expect(lines[0]).toMatch(/^WARNING: PUBLIC_URL makes this a public deployment/);
    for (const a of DEMO_ACCOUNTS) expect(lines[0]).toContain(a.email);
    expect(await db.user.count({ where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) }, disabledAt: null } })).toBe(0);
    expect(await db.session.count({ where: { userId: admin.id } })).toBe(0);
    expect(await getUser(getRequest("/", cookie))).toBeNull();
    await expect(verifyLogin("admin@demo.example", DEMO_PASSWORD, "10.3.0.2")).rejects.toMatchObject({ code: "invalid" });
    // the next start has nothing more to disable, and no admin yet
    expect(await prepareAccounts(db, { publicDeployment: true, freshDatabase: false, demoAccounts: true })).toEqual([expect.stringContaining("admin:create")]);
  });
});

describe("npm run admin:create", () => {
  /** Runs the real script against a database of its own. */
  function adminCreate(args: string[], env: Record<string, string> = {}) {
    const { db: other, file } = freshDb();
    void other.$disconnect();
    const run = (more: string[], moreEnv: Record<string, string> = {}) =>
      spawnSync(process.execPath, ["--import", "tsx", "scripts/admin-create.ts", ...more], {
        env: {
          ...process.env,
          DATABASE_URL: file.startsWith("postgresql://") ? file : `file:${file}`,
          PUBLIC_URL: "https://hub.example.cn",
          ADMIN_PASSWORD: "",
          ...env,
          ...moreEnv,
        },
        encoding: "utf8",
        timeout: 60_000,
        stdio: ["ignore", "pipe", "pipe"],
      });
    return { first: run(args), run, file };
  }

  test("creates a confirmed site admin who can sign in, with the password from ADMIN_PASSWORD", async () => {
    const { first, file } = adminCreate(["--email", "Chief@Hub.example.cn", "--name", "网站管理员"], { ADMIN_PASSWORD: "a-real-admin-password-1" });
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.stdout).toContain("created site admin chief@hub.example.cn");
    expect(first.status).toBe(0);
    const { createDb } = await import("~/utils/db.server");
    const check = createDb(file);
    try {
      const u = await check.user.findUniqueOrThrow({ where: { email: "chief@hub.example.cn" } });
      expect(u).toMatchObject({ role: "admin", name: "网站管理员", disabledAt: null });
      expect(u.emailVerifiedAt).toBeInstanceOf(Date);
      expect(await verifyPassword(u.passwordHash, "a-real-admin-password-1")).toBe(true);
    } finally {
      await check.$disconnect();
    }
  });

  test("promotes an existing account, keeping its password when none is given", async () => {
    const { first, run, file } = adminCreate(["--email", "li@hub.example.cn", "--name", "李工"], { ADMIN_PASSWORD: "li-own-password-2026" });
    expect(first.status).toBe(0);
    const { createDb } = await import("~/utils/db.server");
    const demote = createDb(file);
    await demote.user.update({ where: { email: "li@hub.example.cn" }, data: { role: "member" } });
    await demote.$disconnect(); // the script migrates first, which needs the file to itself
    const check = createDb(file);
    try {
      const again = run(["--email", "li@hub.example.cn"]);
      expect(again.stderr).toBe("");
      expect(again.stdout).toContain("li@hub.example.cn is now a site admin");
      expect(again.status).toBe(0);
      const u = await check.user.findUniqueOrThrow({ where: { email: "li@hub.example.cn" } });
      expect(u.role).toBe("admin");
      expect(await verifyPassword(u.passwordHash, "li-own-password-2026")).toBe(true);
    } finally {
      await check.$disconnect();
    }
  });

  test.each([
    [[], {}, /--email is required/],
    [["--email", "not-an-address", "--name", "某人"], { ADMIN_PASSWORD: "long-enough-password" }, /email: "not-an-address" is not an email address/],
    [["--email", "a@hub.example.cn", "--name", "某人"], { ADMIN_PASSWORD: "short" }, /password: the password needs at least 10 characters/],
    [["--email", "a@hub.example.cn"], { ADMIN_PASSWORD: "long-enough-password" }, /name: a new account needs --name/],
    [["--email", "a@hub.example.cn", "--name", "某人"], {}, /set ADMIN_PASSWORD \(no terminal to ask in\)/],
    [["--email", "admin@demo.example", "--name", "某人"], { ADMIN_PASSWORD: "long-enough-password" }, /demo account, whose password is published/],
    [["--email", "a@hub.example.cn", "--bogus"], {}, /Unknown option '--bogus'/],
  ] as [string[], Record<string, string>, RegExp][])("%j is refused with a clear message and changes nothing", async (args, env, message) => {
    const { first, file } = adminCreate(args, env);
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(message);
    if (file.startsWith("postgresql://")) {
      // TEST_DATABASE=postgresql
      const { createDb } = await import("~/utils/db.server");
      const check = createDb(file);
      try {
        expect(await check.user.count()).toBe(0);
      } finally {
        await check.$disconnect();
      }
      return;
    }
    const count = spawnSync(
      "node",
      ["-e", `const D=require("better-sqlite3");const d=new D(${JSON.stringify(file)});try{console.log(d.prepare("select count(*) n from User").get().n)}catch{console.log(0)}`],
      { encoding: "utf8" },
    );
    expect(count.stdout.trim()).toBe("0");
  });
});
