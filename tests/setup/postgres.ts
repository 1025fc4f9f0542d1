import { spawnSync } from "node:child_process";
import pg from "pg";

// The integration suite on PostgreSQL (TEST_DATABASE=postgresql, docs/decisions/0027-postgresql.md).
// global-setup starts a throwaway cluster (scripts/pg-cluster.sh; or uses TEST_POSTGRES_URL, a
// server where it may create and drop databases), migrates a template database once, and every
// test file (and freshDb) works on a copy of it: CREATE DATABASE … TEMPLATE copies its files.

export const postgresWanted = () => /^postgres(ql)?$/i.test(process.env.TEST_DATABASE ?? "");

/** The URL of the same server with another database. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestCluster {
  /** the server's maintenance database (postgres) */
  server: string;
  template: string;
  stop(): void;
}

export async function startTestCluster(prefix: string): Promise<TestCluster> {
  let server = process.env.TEST_POSTGRES_URL ?? "";
  let dir: string | null = null;
  if (!server) {
    const r = spawnSync("bash", ["scripts/pg-cluster.sh", "start"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`starting a PostgreSQL cluster failed:\n${r.stderr}`);
    server = r.stdout.trim();
    dir = r.stderr.trim().split("\n").at(-1)!;
  }
  const templateName = `${prefix}_template`;
  await admin(server, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${templateName}`);
  });
  const template = withDatabase(server, templateName);
  const m = spawnSync("node", ["scripts/prisma.mjs", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: template }, encoding: "utf8" });
  if (m.status !== 0) throw new Error(`migrating the PostgreSQL template database failed:\n${m.stdout}\n${m.stderr}`);
  return {
    server,
    template,
    stop() {
      if (dir) spawnSync("bash", ["scripts/pg-cluster.sh", "stop", dir]);
      else {
        // a server of someone else's: drop what this run created
        spawnSync(
          "node",
          [
            "-e",
            `const pg=require("pg");(async()=>{const c=new pg.Client({connectionString:process.argv[1]});await c.connect();const r=await c.query("SELECT datname FROM pg_database WHERE datname LIKE $1",[process.argv[2]+"%"]);for(const d of r.rows)await c.query('DROP DATABASE "'+d.datname+'" WITH (FORCE)');await c.end()})()`,
            server,
            prefix,
          ],
          { encoding: "utf8" },
        );
      }
    },
  };
}

async function admin(server: string, f: (c: pg.Client) => Promise<void>) {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    await f(c);
  } finally {
    await c.end();
  }
}

/** A new database copied from the template; returns its URL. */
export async function copyOfTemplate(template: string): Promise<string> {
  const templateName = new URL(template).pathname.slice(1);
  const name = `${templateName.replace(/_template$/, "")}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  for (let attempt = 1; ; attempt++) {
    try {
      // (a template may be copied by one session at a time: files starting together take turns)
      await admin(withDatabase(template, "postgres"), (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateName}`).then(() => undefined));
      return withDatabase(template, name);
    } catch (e) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 300));
    }
  }
}

/** copyOfTemplate for callers that cannot wait (freshDb): the same, in a child process. */
export function copyOfTemplateSync(template: string): string {
  const name = `${new URL(template).pathname.slice(1).replace(/_template$/, "")}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const script = `
    const pg = require("pg");
    const [server, template, name] = process.argv.slice(1);
    (async () => {
      for (let attempt = 1; ; attempt++) {
        const c = new pg.Client({ connectionString: server });
        await c.connect();
        try {
          await c.query("CREATE DATABASE " + name + " TEMPLATE " + template);
          return;
        } catch (e) {
          if (attempt >= 20 || !/being accessed by other users/.test(String(e))) throw e;
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 300));
        } finally {
          await c.end();
        }
      }
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync("node", ["-e", script, withDatabase(template, "postgres"), new URL(template).pathname.slice(1), name], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`copying the PostgreSQL template failed:\n${r.stderr}`);
  return withDatabase(template, name);
}

/**
 * A PostgreSQL server for tests that need one whatever TEST_DATABASE says (db:copy, db:backup):
 * TEST_POSTGRES_URL when set (the PostgreSQL run of scripts/test.sh), else a throwaway cluster of
 * the test file's own (scripts/pg-cluster.sh, under a second). `database()` makes an empty database
 * on it; `stop()` drops them, or stops the cluster.
 */
export function testPostgresServer(): { server: string; database(): Promise<string>; stop(): Promise<void> } {
  let server = process.env.TEST_POSTGRES_URL ?? "";
  let dir: string | null = null;
  if (!server) {
    const r = spawnSync("bash", ["scripts/pg-cluster.sh", "start"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`starting a PostgreSQL cluster failed:\n${r.stderr}`);
    server = r.stdout.trim();
    dir = r.stderr.trim().split("\n").at(-1)!;
  }
  const made: string[] = [];
  return {
    server,
    async database() {
      const name = `hub_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      await admin(server, (c) => c.query(`CREATE DATABASE ${name}`).then(() => undefined));
      made.push(name);
      return withDatabase(server, name);
    },
    async stop() {
      if (dir) spawnSync("bash", ["scripts/pg-cluster.sh", "stop", dir]);
      else await admin(server, async (c) => void (await Promise.all(made.map((d) => c.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`)))));
    },
  };
}
