// Which database a Prisma client talks to (docs/decisions/0027-postgresql.md). The models are the
// same on both; the few places that go around Prisma for speed or change detection ask here and
// take the PostgreSQL path or the SQLite one (raw-sqlite.server.ts).

const postgresClients = new WeakSet<object>();

/** Every Prisma client, extended client and transaction client shares one `_originalClient`. */
function key(client: object): object {
  return ((client as { _originalClient?: object })._originalClient ?? client) as object;
}

export function registerPostgresClient(client: object): void {
  postgresClients.add(key(client));
}

/** Whether a client (or a transaction client of it) made by createDb talks to PostgreSQL. */
export function isPostgres(client: object): boolean {
  return postgresClients.has(key(client));
}
