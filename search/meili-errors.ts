// Errors from Meilisearch, in one shape: what failed, Meilisearch's own code and message, and
// whether it was the server answering with an error, a failed task, or no answer at all.
import { MeilisearchApiError, MeilisearchRequestError, MeilisearchRequestTimeOutError, MeilisearchTaskTimeOutError, type EnqueuedTaskPromise, type Task } from "meilisearch";
import { z } from "zod";

export type MeiliErrorKind =
  | "api" // Meilisearch answered with an error response {message, code, type, link}
  | "task" // a task was processed and failed (or was canceled)
  | "unreachable" // no answer: connection refused, DNS, reset
  | "timeout" // a request or a task took longer than allowed
  | "response"; // Meilisearch answered something this code does not understand

export class MeiliError extends Error {
  override name = "MeiliError";
  constructor(
    message: string,
    readonly kind: MeiliErrorKind,
    /** Meilisearch's error code (index_not_found, invalid_document_id …) or our own for kinds without one */
    readonly code: string,
    readonly details: { type?: string; link?: string; status?: number; taskUid?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The Meilisearch error object, as in error responses and in failed tasks. */
export const MeiliErrorBody = z.object({
  message: z.string(),
  code: z.string(),
  type: z.string(),
  link: z.string().optional(),
});

export const TaskSchema = z.looseObject({
  uid: z.number().int(),
  indexUid: z.string().nullable().optional(),
  status: z.enum(["enqueued", "processing", "succeeded", "failed", "canceled"]),
  type: z.string(),
  error: MeiliErrorBody.nullable().optional(),
});

/** Any error from the client (or already ours) as a MeiliError, with `what` saying what we were doing. */
export function toMeiliError(e: unknown, what: string): MeiliError {
  if (e instanceof MeiliError) return e;
  if (e instanceof MeilisearchApiError) {
    const body = MeiliErrorBody.safeParse(e.cause);
    const status = e.response?.status;
    if (body.success) {
      return new MeiliError(
        `${what}: ${body.data.message} (${body.data.code})`,
        "api",
        body.data.code,
        {
          type: body.data.type,
          link: body.data.link,
          status,
        },
        { cause: e },
      );
    }
    return new MeiliError(`${what}: Meilisearch answered HTTP ${status} without an error object`, "api", `http_${status}`, { status }, { cause: e });
  }
  if (e instanceof MeilisearchTaskTimeOutError) {
    return new MeiliError(`${what}: ${e.message}`, "timeout", "task_timeout", { taskUid: e.cause.taskUid }, { cause: e });
  }
  if (e instanceof MeilisearchRequestError) {
    if (e.cause instanceof MeilisearchRequestTimeOutError) {
      return new MeiliError(`${what}: ${e.cause.message}`, "timeout", "request_timeout", {}, { cause: e });
    }
    const inner = e.cause instanceof Error ? `${e.cause.message}${causeCode(e.cause)}` : String(e.cause);
    return new MeiliError(`${what}: Meilisearch is unreachable (${inner})`, "unreachable", "unreachable", {}, { cause: e });
  }
  if (e instanceof SyntaxError) {
    // the client parses every body as JSON: a proxy's HTML error page lands here
    return new MeiliError(`${what}: the answer was not JSON (${e.message})`, "response", "invalid_response", {}, { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new MeiliError(`${what}: ${message}`, "response", "unexpected", {}, { cause: e });
}

function causeCode(e: Error): string {
  const code = (e.cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? `: ${code}` : "";
}

/** A processed task, or a MeiliError carrying the task's own error message when it did not succeed. */
export function assertTaskSucceeded(raw: unknown, what: string): Task {
  const parsed = TaskSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new MeiliError(`${what}: unexpected task object (${i.path.join(".") || "task"}: ${i.message})`, "response", "invalid_response");
  }
  const task = parsed.data;
  if (task.status === "succeeded") return raw as Task;
  if (task.status === "failed") {
    const err = task.error;
    throw new MeiliError(
      `${what}: Meilisearch task ${task.uid} (${task.type}) failed: ${err?.message ?? "no error given"}${err ? ` (${err.code})` : ""}`,
      "task",
      err?.code ?? "task_failed",
      { type: err?.type, link: err?.link, taskUid: task.uid },
    );
  }
  if (task.status === "canceled") {
    throw new MeiliError(`${what}: Meilisearch task ${task.uid} (${task.type}) was canceled`, "task", "task_canceled", { taskUid: task.uid });
  }
  throw new MeiliError(`${what}: Meilisearch task ${task.uid} is still ${task.status}`, "timeout", "task_timeout", { taskUid: task.uid });
}

/** Enqueues a write, waits for its task, and throws unless it succeeded. */
export async function runTask(enqueued: EnqueuedTaskPromise, what: string, timeoutMs = 60_000): Promise<Task> {
  let task: Task;
  try {
    task = await enqueued.waitTask({ timeout: timeoutMs });
  } catch (e) {
    throw toMeiliError(e, what);
  }
  return assertTaskSucceeded(task, what);
}

/** Runs a read request, turning client errors into MeiliErrors. */
export async function request<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toMeiliError(e, what);
  }
}

/** Validates a Meilisearch answer against the shape this code relies on. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const i = parsed.error.issues[0];
  throw new MeiliError(`${what}: unexpected answer from Meilisearch (${i.path.join(".") || "body"}: ${i.message})`, "response", "invalid_response");
}

/** Errors that mean "Meilisearch is not there right now", as opposed to "it refused this request". */
export function isOutage(e: unknown): boolean {
  return e instanceof MeiliError && (e.kind === "unreachable" || e.kind === "timeout" || e.kind === "response" || e.code === "index_not_found" || (e.details.status ?? 0) >= 500);
}
