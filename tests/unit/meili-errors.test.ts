// Meilisearch failures the emulator (tests/mocks, decision 0023) does not produce: timeouts, no
// answer, an answer that is not JSON, tasks that failed, were canceled or are still waiting. Each
// becomes one MeiliError whose kind decides what the site does: an outage (isOutage) sends searches
// to the embedded engine and leaves writes in the outbox; a refusal is reported as it is.
import { MeilisearchRequestError, MeilisearchRequestTimeOutError, MeilisearchTaskTimeOutError } from "meilisearch";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { assertTaskSucceeded, isOutage, MeiliError, request, toMeiliError, validate } from "../../search/meili-errors";

describe("Meilisearch errors", () => {
  test("no answer, a timeout or an answer that is not JSON is an outage, named with what was being done", async () => {
    const refused = Object.assign(new Error("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const cases: [unknown, string, RegExp][] = [
      [new MeilisearchRequestError("http://meili:7700", refused), "unreachable", /searching: Meilisearch is unreachable \(fetch failed: ECONNREFUSED\)/],
      [new MeilisearchRequestError("http://meili:7700", new MeilisearchRequestTimeOutError(2000, {})), "request_timeout", /searching: .*2000/],
      [new MeilisearchTaskTimeOutError(41, 60_000), "task_timeout", /searching: .*41/],
      [new SyntaxError("Unexpected token '<'"), "invalid_response", /searching: the answer was not JSON/],
    ];
    for (const [thrown, code, message] of cases) {
      const err = await request("searching", () => Promise.reject(thrown)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MeiliError);
      expect((err as MeiliError).code).toBe(code);
      expect((err as MeiliError).message).toMatch(message);
      expect(isOutage(err)).toBe(true);
    }
  });

  test("anything else keeps its message, and a MeiliError passes through unchanged", () => {
    const odd = toMeiliError("boom", "reindexing");
    expect(odd.message).toBe("reindexing: boom");
    expect(odd.code).toBe("unexpected");
    const own = new MeiliError("x", "api", "invalid_document_id", { status: 400 });
    expect(toMeiliError(own, "writing")).toBe(own);
    // a refusal of this request is not an outage
    expect(isOutage(own)).toBe(false);
    expect(isOutage(new MeiliError("x", "api", "internal", { status: 502 }))).toBe(true);
    expect(isOutage(new Error("not ours"))).toBe(false);
  });

  test("a task that failed, was canceled or is still waiting is an error carrying the task's own words", () => {
    const base = { uid: 7, indexUid: "hub", type: "documentAdditionOrUpdate" };
    expect(assertTaskSucceeded({ ...base, status: "succeeded" }, "writing").uid).toBe(7);
    const failed = { ...base, status: "failed", error: { message: "Document identifier `a b` is invalid", code: "invalid_document_id", type: "invalid_request" } };
    expect(() => assertTaskSucceeded(failed, "writing")).toThrow(
      "writing: Meilisearch task 7 (documentAdditionOrUpdate) failed: Document identifier `a b` is invalid (invalid_document_id)",
    );
    const codeOf = (task: unknown) => {
      try {
        assertTaskSucceeded(task, "writing");
      } catch (e) {
        return [(e as MeiliError).kind, (e as MeiliError).code];
      }
    };
    expect(codeOf(failed)).toEqual(["task", "invalid_document_id"]);
    expect(codeOf({ ...base, status: "failed" })).toEqual(["task", "task_failed"]);
    expect(codeOf({ ...base, status: "canceled" })).toEqual(["task", "task_canceled"]);
    expect(codeOf({ ...base, status: "processing" })).toEqual(["timeout", "task_timeout"]);
    expect(codeOf({ uid: "seven", status: "succeeded" })).toEqual(["response", "invalid_response"]);
  });

  test("an answer of an unexpected shape is refused, naming the field", () => {
    expect(validate(z.object({ hits: z.array(z.unknown()) }), { hits: [] }, "searching")).toEqual({ hits: [] });
    expect(() => validate(z.object({ hits: z.array(z.unknown()) }), { hits: 3 }, "searching")).toThrow(/searching: unexpected answer from Meilisearch \(hits: /);
  });
});
