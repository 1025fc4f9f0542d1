import type Database from "better-sqlite3";

// The better-sqlite3 connection behind a Prisma client, for the few hot paths where Prisma's
// per-query cost matters (app/models/search/sync.server.ts writes search documents through it).
//
// Why: Prisma 6's engine-less client sends every query, parameters included, through its
// WebAssembly query compiler. That costs about 0.2 ms a query plus about 0.25 µs per character
// of parameter text, so writing one search document (≈4,000 characters with its terms) took
// 2–4 ms through Prisma and about 0.03 ms on the connection itself (`npm run bench`).
//
// The adapter keeps a single connection and runs an interactive transaction as BEGIN … COMMIT on
// it, so statements run on that connection while a Prisma transaction is open belong to that
// transaction: they commit and roll back with it.

const connections = new WeakMap<object, Database.Database>();

/** Every Prisma client, extended client and transaction client shares one `_originalClient`. */
function key(client: object): object {
  return ((client as { _originalClient?: object })._originalClient ?? client) as object;
}

export function registerRawConnection(client: object, sqlite: Database.Database): void {
  connections.set(key(client), sqlite);
}

/** The connection behind a client or transaction client, if it was created by createDb. */
export function rawConnectionOf(client: object): Database.Database | undefined {
  return connections.get(key(client));
}
