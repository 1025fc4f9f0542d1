import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { SerializedState } from "./nodes";
import { packageNodes } from "./registry";
import { validateBody } from "./validate";

/**
 * How long one file's Markdown may take to convert. The seed files take a few milliseconds; some
 * inputs make @lexical/markdown's inline-format matching quadratic or worse (10,000 `~~a` took 2.7 s,
 * 85,000 would take hours), and the importer must not hang on them.
 */
export const MARKDOWN_DEADLINE_MS = 3_000;

/**
 * Markdown from content files becomes the same Lexical JSON the editor saves, and then goes
 * through the same validation: an imported body is never trusted more than a typed one.
 */
export function markdownToLexical(markdown: string, o: { deadlineMs?: number } = {}): { ok: true; json: string; state: SerializedState } | { ok: false; message: string } {
  if (/<\/?[a-z][^>]*>/i.test(stripCode(markdown))) {
    return { ok: false, message: "raw HTML is not allowed in Markdown bodies" };
  }
  const converted = convertWithDeadline(markdown.trim(), o.deadlineMs ?? MARKDOWN_DEADLINE_MS);
  if ("error" in converted) return { ok: false, message: converted.error };
  const check = validateBody(converted.state);
  return check.ok ? check : { ok: false, message: check.message };
}

function stripCode(md: string): string {
  return md.replace(/```[\s\S]*?```/g, "").replace(/`[^`]*`/g, "");
}

// One worker, reused file after file; the calling thread waits for it synchronously (the import
// validates every file before writing anything, in a plain loop). A worker that misses the
// deadline is terminated and the next file gets a new one.
let worker: { thread: Worker; port: MessagePort; signal: Int32Array } | null = null;
let jobs = 0;

function startWorker(): NonNullable<typeof worker> {
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const thread = new Worker(workerFile(), {
    workerData: { port: port2, signal, nodes: packageNodes({ markdown: true }) },
    transferList: [port2],
  });
  // a worker that fails to load must not take the server down: the wait below reports it
  thread.on("error", () => {});
  thread.unref();
  port1.unref();
  // loading Lexical on the new thread is not part of any file's time
  if (Atomics.wait(signal, 1, 0, 30_000) === "timed-out") {
    void thread.terminate();
    throw new Error("the Markdown worker did not start");
  }
  return { thread, port: port1, signal };
}

/**
 * The worker's file: beside this module when it runs from app/lexical (scripts, tests), and still
 * app/lexical's when it runs bundled into build/index.js (the server: the spreadsheet import).
 */
function workerFile(): URL | string {
  const beside = new URL("./markdown.worker.mjs", import.meta.url);
  return existsSync(fileURLToPath(beside)) ? beside : path.resolve("app/lexical/markdown.worker.mjs");
}

function convertWithDeadline(markdown: string, deadlineMs: number): { state: unknown } | { error: string } {
  worker ??= startWorker();
  const id = ++jobs;
  worker.thread.postMessage({ id, markdown });
  const until = Date.now() + deadlineMs;
  while (Atomics.load(worker.signal, 0) !== id) {
    const left = until - Date.now();
    if (left <= 0) {
      void worker.thread.terminate();
      worker = null;
      return { error: `could not be converted within ${deadlineMs / 1000} s: simplify it (thousands of emphasis or link markers in one paragraph, or very deep nesting)` };
    }
    Atomics.wait(worker.signal, 0, Atomics.load(worker.signal, 0), left);
  }
  const reply = receiveMessageOnPort(worker.port)?.message as { id: number; state?: unknown; error?: string } | undefined;
  if (!reply || reply.id !== id) return { error: "could not be converted (the Markdown worker lost the answer)" };
  return reply.error !== undefined ? { error: `could not be converted: ${reply.error}` } : { state: reply.state };
}
