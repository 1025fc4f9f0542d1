import { expect, test } from "./fixtures";

// The JSON search endpoints as the production server answers them (server.mjs sends them
// straight to their loaders; DESIGN.md "JSON API" is the contract).

test("GET /api/search answers the contract's JSON, with the site's security headers", async ({ request }) => {
  const res = await request.get("/api/search?q=HMI&type=result");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/json");
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  const body = await res.json();
  expect(body).toMatchObject({ query: "HMI", page: 1, engine: "embedded" });
  expect(body.total).toBeGreaterThan(0);
  expect(body.hits[0]).toMatchObject({ type: "result", url: expect.stringMatching(/^\/results\//) });
  expect(body.hits.map((h: { slug: string }) => h.slug)).toContain("hmi-simulation-software");
  expect(Object.keys(body.facets).sort()).toEqual(["enterprise", "industry", "kind", "level", "type"]);
});

test("bad parameters get 400 and a JSON error naming the parameter", async ({ request }) => {
  for (const [query, field] of [
    ["q=x&page=-1", "page"],
    ["q=x&type=robot", "type"],
    [`q=${"长".repeat(201)}`, "q"],
  ] as const) {
    const res = await request.get(`/api/search?${query}`);
    expect(res.status(), query).toBe(400);
    const body = await res.json();
    expect(body.error.field, query).toBe(field);
    expect(body.error.message, query).toBeTruthy();
  }
  const long = await request.get(`/api/suggest?q=${"长".repeat(201)}`);
  expect(long.status()).toBe(400);
  expect((await long.json()).error.field).toBe("q");
});

test("GET /api/suggest offers titles for a prefix, and only GET is served", async ({ request }) => {
  const res = await request.get("/api/suggest?q=%E4%BB%BF%E7%9C%9F");
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toBe("no-store");
  const body = await res.json();
  expect(body.suggestions.map((s: { title: string }) => s.title)).toContain("HMI仿真软件");
  const post = await request.post("/api/search?q=HMI", { failOnStatusCode: false });
  expect(post.status()).toBe(405);
});
