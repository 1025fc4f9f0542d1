// The canonical values npm run db:copy reads both databases into (scripts/db-move/values.ts): each
// way either database may hold the same moment, number or document gives one value and one checksum.
import { describe, expect, test } from "vitest";
import { canonicalDecimal, canonicalJson, fromPostgres, fromSqlite, parseTimestamp, rowLine, toSqlite } from "../../scripts/db-move/values";

describe("timestamps", () => {
  test.each([
    ["Prisma's SQLite text", "2026-12-07T23:59:59.999+00:00"],
    ["ISO with Z", "2026-12-07T23:59:59.999Z"],
    ["PostgreSQL timestamp(3) text, kept in UTC by Prisma", "2026-12-07 23:59:59.999"],
    ["timestamptz with a short offset", "2026-12-08 07:59:59.999+08"],
    ["an offset with minutes", "2026-12-08T05:29:59.999+05:30"],
    ["microseconds, cut to milliseconds", "2026-12-07 23:59:59.999876"],
    ["unix milliseconds (Prisma's unixepoch-ms) as SQLite's bigint", BigInt(Date.UTC(2026, 11, 7, 23, 59, 59, 999))],
  ])("%s is one moment", (_, raw) => {
    expect(parseTimestamp(raw)).toBe("2026-12-07T23:59:59.999Z");
  });

  test("CURRENT_TIMESTAMP's text (UTC, no fraction) and a bare date", () => {
    expect(parseTimestamp("2026-12-07 08:00:00")).toBe("2026-12-07T08:00:00.000Z");
    expect(parseTimestamp("2026-12-07")).toBe("2026-12-07T00:00:00.000Z");
  });

  test("anything else is an error naming the value, not a wrong date", () => {
    expect(() => parseTimestamp("yesterday")).toThrow('not a timestamp: "yesterday"');
    expect(() => parseTimestamp("2026-13-45 25:00:00")).toThrow("not a timestamp");
  });

  test("written back to SQLite as Prisma writes it", () => {
    expect(toSqlite("datetime", "2026-12-07T23:59:59.999Z")).toBe("2026-12-07T23:59:59.999+00:00");
    expect(toSqlite("bool", true)).toBe(1);
  });
});

test("JSON compares by content: PostgreSQL's jsonb reorders keys and drops spaces", () => {
  const sqlite = fromSqlite("json", '{ "bb": 1, "a": [2, {"z": null, "c": "中"}] }');
  const postgres = fromPostgres("json", '{"a": [2, {"c": "中", "z": null}], "bb": 1}');
  expect(sqlite).toBe('{"a":[2,{"c":"中","z":null}],"bb":1}');
  expect(postgres).toBe(sqlite);
  expect(canonicalJson("[3,1,2]")).toBe("[3,1,2]");
});

test("decimals compare by value: PostgreSQL pads numeric(65,30) with zeros", () => {
  expect(canonicalDecimal("12345.250000000000000000000000000000")).toBe("12345.25");
  expect(canonicalDecimal("12.000")).toBe("12");
  expect(canonicalDecimal("-0.000")).toBe("0");
  expect(canonicalDecimal("1200")).toBe("1200");
  expect(fromSqlite("decimal", 12345.25)).toBe(fromPostgres("decimal", "12345.250000000000000000000000000000"));
});

test("booleans, integers and bytes read the same from either driver, and hash the same", () => {
  const sqlite = [fromSqlite("bool", 1n), fromSqlite("int", 42n), fromSqlite("bigint", 9007199254740993n), fromSqlite("bytes", Buffer.from([1, 2])), fromSqlite("float", 2.5)];
  const postgres = [
    fromPostgres("bool", true),
    fromPostgres("int", 42),
    fromPostgres("bigint", "9007199254740993"),
    fromPostgres("bytes", Buffer.from([1, 2])),
    fromPostgres("float", 2.5),
  ];
  expect(postgres).toEqual(sqlite);
  expect(rowLine(postgres)).toBe(rowLine(sqlite));
  expect(rowLine(sqlite)).toBe('[true,42,{"n":"9007199254740993"},{"b":"AQI="},2.5]\n');
  // a value that differs changes the line
  expect(rowLine([fromSqlite("bool", 0n)])).not.toBe(rowLine([fromPostgres("bool", true)]));
});
