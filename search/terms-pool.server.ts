// Worker threads that segment documents for bulk index writes (writeDocuments in sync.server.ts).
//
// Why: segmenting a 650-character document with jieba and weighing its terms costs ~0.25 ms of
// CPU, the bulk of writing it to the index; one thread writes 3,000–4,000 documents a second. A
// full rebuild hands the segmentation to one worker per core and keeps the main thread for the
// database writes, in order, in the caller's transaction (`npm run bench` measures both).
//
// The workers are started on first use, keep the process alive only while they have work, and need
// the TypeScript sources (tsx: scripts, `npm run search:reindex`). Where they cannot start — the
// bundled server, a test runner — the pool is null and callers segment on their own thread.

import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { TermFields } from "./doc-terms";

interface Pending {
  resolve: (packed: string[]) => void;
  reject: (e: Error) => void;
}

export class TermsPool {
  private next = 0;
  private seq = 0;
  private pending = new Map<number, Pending>();
  broken = false;

  constructor(private workers: Worker[]) {
    for (const w of workers) {
      w.on("message", (m: { id: number; packed?: string[]; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) for (const x of this.workers) x.unref();
        if (m.packed) p.resolve(m.packed);
        else p.reject(new Error(m.error ?? "segmentation failed"));
      });
      w.on("error", (e) => this.fail(e));
      w.on("exit", () => this.fail(new Error("a segmentation worker exited")));
      w.unref();
    }
  }

  get size() {
    return this.workers.length;
  }

  /** Packed terms (SearchDoc.terms) for each document, computed on a worker. */
  encode(batch: TermFields[]): Promise<string[]> {
    if (this.broken) return Promise.reject(new Error("the segmentation workers are gone"));
    const id = ++this.seq;
    const worker = this.workers[this.next++ % this.workers.length];
    // busy workers keep the process alive until they answer; idle ones never do
    if (this.pending.size === 0) for (const x of this.workers) x.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, batch });
    });
  }

  private fail(e: Error) {
    this.broken = true;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

let started: Promise<TermsPool | null> | null = null;

/** The pool, once its workers have loaded the dictionary; null where workers cannot run here. */
export function termsPool(): Promise<TermsPool | null> {
  return (started ??= start().catch(() => null));
}

async function start(): Promise<TermsPool | null> {
  const url = new URL("./terms.worker.ts", import.meta.url);
  if (url.protocol !== "file:" || !existsSync(fileURLToPath(url))) return null;
  // a worker does not inherit tsx's loader for its entry module (Node 20): it registers tsx first
  let tsx: string;
  try {
    tsx = import.meta.resolve("tsx/esm/api");
  } catch {
    return null;
  }
  const entry = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  const size = Math.max(1, Math.min(4, availableParallelism()));
  const workers = Array.from({ length: size }, () => new Worker(entry, { eval: true }));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("a segmentation worker did not start")), 15_000);
            w.once("message", () => {
              clearTimeout(timer);
              resolve();
            });
            w.once("error", (e) => {
              clearTimeout(timer);
              reject(e);
            });
          }),
      ),
    );
  } catch {
    for (const w of workers) void w.terminate();
    return null;
  }
  return new TermsPool(workers);
}
