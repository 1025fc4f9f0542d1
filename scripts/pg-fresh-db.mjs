// node scripts/pg-fresh-db.mjs <postgresql://…/name> — drops the database the URL names (closing its
// connections) and creates it empty: the browser tests' server on PostgreSQL starts from nothing, as
// on SQLite it starts from a deleted file. Connects to the server's `postgres` database to do it.
import pg from "pg";

const url = process.argv[2];
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error("usage: node scripts/pg-fresh-db.mjs postgresql://user@host:port/name");
  process.exit(2);
}
const target = new URL(url);
const name = decodeURIComponent(target.pathname.slice(1));
if (!/^[a-z_][a-z0-9_]*$/.test(name) || name === "postgres") {
  console.error(`refusing to recreate the database "${name}": give a lowercase name of its own`);
  process.exit(2);
}
const admin = new URL(url);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
try {
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${name}`);
} finally {
  await client.end();
}
console.log(`database ${name} is empty`);
