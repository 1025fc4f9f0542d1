import { describe, expect, test } from "vitest";
import { FOREIGN_ORIGIN_HEADER, foreignOriginGuard } from "~/utils/foreign-origin.mjs";

// The guard in front of Remix: a write from another origin is marked (and its Origin taken off,
// so Remix does not answer it with a bare 500); everything else passes untouched.
function run(method: string, headers: Record<string, string>) {
  const req = { method, headers: { ...headers } } as unknown as Parameters<typeof foreignOriginGuard>[0];
  let called = 0;
  foreignOriginGuard(req, null, () => called++);
  expect(called).toBe(1);
  return req.headers as Record<string, string | undefined>;
}

describe("foreignOriginGuard", () => {
  test.each([
    ["https://evil.example", { host: "hub.example.cn" }],
    ["http://hub.example.cn:8080", { host: "hub.example.cn" }],
    ["not a url", { host: "hub.example.cn" }],
    ["https://hub.example.cn", { host: "internal:3000", "x-forwarded-host": "evil.example" }],
    ["https://hub.example.cn", {}],
    // a sandboxed frame or a file:// page: Remix itself would refuse it with a 500
    ["null", { host: "hub.example.cn" }],
  ])("a POST from %j to %j is marked and loses its Origin", (origin, headers) => {
    const after = run("POST", { ...headers, origin });
    expect(after[FOREIGN_ORIGIN_HEADER]).toBe("1");
    expect(after.origin).toBeUndefined();
  });

  test.each([
    ["POST", { origin: "https://hub.example.cn", host: "hub.example.cn" }],
    ["POST", { origin: "https://hub.example.cn", host: "internal:3000", "x-forwarded-host": "hub.example.cn, proxy" }],
    ["POST", { host: "hub.example.cn" }],
    ["GET", { origin: "https://evil.example", host: "hub.example.cn" }],
  ] as [string, Record<string, string>][])("%s with %j passes unmarked", (method, headers) => {
    const after = run(method, headers);
    expect(after[FOREIGN_ORIGIN_HEADER]).toBeUndefined();
    expect(after.origin).toBe(headers.origin);
  });

  test("a client cannot send the mark itself", () => {
    const after = run("POST", { origin: "https://hub.example.cn", host: "hub.example.cn", [FOREIGN_ORIGIN_HEADER]: "1" });
    expect(after[FOREIGN_ORIGIN_HEADER]).toBeUndefined();
  });
});
