import { dataVersion, type DataVersion } from "./data-version.server";

// Read models kept until the database changes (issue 11, docs/decisions/0028-read-cache.md).
//
// A page's reads are a handful of Prisma queries, and on this hub ~40% of a page's CPU went into
// Prisma's engine-less query path (its WebAssembly query compiler, the adapter, SQLite). Most pages
// are read far more often than anything is written, so every read a model makes through the
// client created by createDb is answered from memory while the database is what it was when the
// answer was read: the key is the model, the operation and its arguments; the whole cache is dropped
// the moment `PRAGMA data_version` moves on a connection of its own, which happens whenever any
// connection commits — this process's client, another server process, an import. A change is
// therefore never served stale after its commit, from any process.
//
// Not cached: reads inside a transaction (they must see the transaction's own writes), raw SQL,
// answers of more than MAX_ROWS rows (memory), arguments that are not plain JSON. Answers are
// frozen, deeply: two requests share them, and code that changed one in place would change the
// other's page, so such code fails at once (in tests, too) instead.
//
// On PostgreSQL (docs/decisions/0027-postgresql.md) the counter is pg_current_snapshot(), which
// moves whenever a writing transaction commits, on any server; it is asked on a small pool of the
// cache's own before each read (a round trip of a fraction of a millisecond against Prisma's ~2 ms),
// and never shared between reads: one asked before a caller's own commit would miss it.

const READS = new Set(["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count", "aggregate", "groupBy"]);
/** entries kept per database; the least recently used goes first */
const MAX_ENTRIES = 2_000;
/** a longer answer is not kept (a list that large is read rarely and would hold memory) */
const MAX_ROWS = 2_000;

export class ReadCache {
  private entries = new Map<string, Promise<unknown>>();
  private lastVersion: number | string = -1;
  private readonly version: DataVersion;
  hits = 0;
  misses = 0;

  constructor(database: string) {
    this.version = dataVersion(database);
  }

  read<T>(name: string, args: unknown, run: () => Promise<T>, o: { anySize?: boolean } = {}): Promise<T> {
    const version = this.version();
    if (version instanceof Promise) return version.then((v) => (v === null ? run() : this.readAt(v, name, args, run, o.anySize)));
    if (version === null) return run();
    return this.readAt(version, name, args, run, o.anySize);
  }

  private readAt<T>(version: number | string, name: string, args: unknown, run: () => Promise<T>, anySize = false): Promise<T> {
    if (version !== this.lastVersion) {
      this.entries.clear();
      this.lastVersion = version;
    }
    let key: string;
    try {
      key = `${name}\n${JSON.stringify(args ?? null)}`;
    } catch {
      return run(); // a BigInt or a cycle: not a key
    }
    const kept = this.entries.get(key);
    if (kept) {
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, kept);
      this.hits++;
      return kept as Promise<T>;
    }
    this.misses++;
    const answer = run().then((value) => {
      if (!anySize && Array.isArray(value) && value.length > MAX_ROWS) {
        if (this.entries.get(key) === answer) this.entries.delete(key);
        return value;
      }
      return deepFreeze(value);
    });
    // a failed read is not kept: the next one asks the database again
    answer.catch(() => {
      if (this.entries.get(key) === answer) this.entries.delete(key);
    });
    this.entries.set(key, answer);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return answer;
  }
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value; // Dates, Buffers
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}

/** Whether a Prisma operation is a read the cache may answer. */
export function isCacheableRead(operation: string): boolean {
  return READS.has(operation);
}
