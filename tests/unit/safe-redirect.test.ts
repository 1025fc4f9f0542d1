import { expect, test } from "vitest";
import * as language from "~/routes/language";
import { safeRedirect } from "~/utils/http.server";
import { postRequest, settle } from "../setup/auth";

// Found by tests/property/routes.test.ts: a Chinese redirect target made Headers.set throw (a 500).

test("a same-site path with Chinese in it is kept, percent-encoded as a Location header must be", () => {
  expect(safeRedirect("/search?q=仿真 培训")).toBe("/search?q=%E4%BB%BF%E7%9C%9F%20%E5%9F%B9%E8%AE%AD");
  expect(safeRedirect("/studios?industry=rail-transit")).toBe("/studios?industry=rail-transit");
  expect(safeRedirect("/search?q=%E4%BB%BF")).toBe("/search?q=%E4%BB%BF");
});

test("other sites, control characters and lone surrogate halves still fall back", () => {
  for (const to of ["//evil.example", "/\\evil.example", "https://evil.example", "/\t/evil", "/a\ud800"]) expect(safeRedirect(to, "/home")).toBe("/home");
});

test("switching the language from a page with a Chinese address goes back to that page", async () => {
  const request = await postRequest("/language", { lang: "en", redirectTo: "/search?q=地铁" });
  const out = await settle(() => language.action({ request, params: {}, context: {} }));
  expect(out.status).toBe(302);
  expect(out.location).toBe("/search?q=%E5%9C%B0%E9%93%81");
});
