import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import * as serve from "~/routes/uploads.$file";
import { storeUpload, UPLOAD_RATE } from "~/models/upload.server";
import * as uploads from "~/routes/uploads";
import { createDb, db } from "~/utils/db.server";
import { MAX_UPLOAD_BYTES } from "~/utils/images.server";
import { uploadsDir } from "~/utils/uploads.server";
import { gif, jpeg, png } from "../fixtures/images";
import { actionArgs, createUser, getRequest, loginRedirect, postRequest, sessionCookie, settle, type PostOptions, type TestUser } from "../setup/auth";

// Images for bodies: checked by their bytes and size, stored under data/uploads, served back as
// images only. Whatever the name or the browser's claimed type, only real images get in.

let user: TestUser;
let cookie: string;

beforeAll(async () => {
  user = await createUser();
  cookie = await sessionCookie(user.id);
});

function fileForm(bytes: Uint8Array<ArrayBuffer>, name: string, type: string) {
  const form = new FormData();
  form.append("file", new File([bytes], name, { type }));
  return form;
}

async function upload(form: FormData, o: PostOptions = { session: cookie }) {
  const request = await postRequest("/uploads", form, o);
  return settle(() => uploads.action(actionArgs(request)));
}

const serveFile = (file: string) => serve.loader(actionArgs(getRequest(`/uploads/${encodeURIComponent(file)}`), { file }));

/** Rows and files stored so far: a refused upload must change neither. */
async function stored() {
  return { rows: await db.upload.count(), files: existsSync(uploadsDir()) ? readdirSync(uploadsDir()).sort() : [] };
}

describe("accepted images", () => {
  test.each([
    ["PNG", png(3, 2), "截图.png", "image/png", "png", "image/png", { width: 3, height: 2 }],
    ["JPEG", jpeg(5, 4), "现场照片.jpg", "image/jpeg", "jpg", "image/jpeg", { width: 5, height: 4 }],
    ["GIF", gif(), "动图.gif", "image/gif", "gif", "image/gif", { width: 1, height: 1 }],
    // the browser's claim does not matter: the bytes decide
    ["PNG sent as application/octet-stream", png(2, 2), "无扩展名", "application/octet-stream", "png", "image/png", { width: 2, height: 2 }],
  ] as const)("%s → 201 with its address and size, then served with the right headers", async (_, bytes, name, claimed, ext, mime, size) => {
    const before = await stored();
    const out = await upload(fileForm(bytes, name, claimed));
    expect(out.status).toBe(201);
    const { src, width, height } = out.data as { src: string; width: number; height: number };
    expect(src).toMatch(new RegExp(`^/uploads/[A-Za-z0-9_-]{16}\\.${ext}$`));
    expect({ width, height }).toEqual(size);
    const file = src.slice("/uploads/".length);
    expect(await db.upload.findUniqueOrThrow({ where: { path: file } })).toMatchObject({ userId: user.id, mime, size: bytes.length });
    expect((await stored()).rows).toBe(before.rows + 1);

    const res = serveFile(file);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe(mime);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("Content-Length")).toBe(String(bytes.length));
    expect(res.headers.get("Content-Security-Policy")).toMatch(/default-src 'none'/);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  test("the stored file is the uploaded bytes, under data/uploads beside the database", async () => {
    const bytes = png(6, 1);
    const out = await upload(fileForm(bytes, "a.png", "image/png"));
    const file = (out.data as { src: string }).src.slice("/uploads/".length);
    // (with TEST_DATABASE=postgresql the data folder is DATA_DIR: this file's own folder)
    const dataDir = process.env.DATABASE_URL!.startsWith("file:") ? path.dirname(process.env.DATABASE_URL!.replace(/^file:/, "")) : process.env.DATA_DIR!;
    expect(uploadsDir()).toBe(path.join(dataDir, "uploads"));
    expect(readFileSync(path.join(uploadsDir(), file)).equals(bytes)).toBe(true);
  });
});

describe("refused uploads store nothing", () => {
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>');
  const html = Buffer.from("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");

  test.each([
    ["an SVG (it can carry script)", svg, "logo.svg", "image/svg+xml", 415, "unsupported_type"],
    ["an HTML file renamed .png", html, "照片.png", "image/png", 415, "unsupported_type"],
    ["a PNG signature with nothing after it", png(1, 1).subarray(0, 8), "short.png", "image/png", 415, "unsupported_type"],
    ["an empty file", new Uint8Array(), "empty.png", "image/png", 400, "bad_upload"],
  ] as const)("%s → %i", async (_, bytes, name, type, status, code) => {
    const before = await stored();
    const out = await upload(fileForm(bytes, name, type));
    expect(out.status).toBe(status);
    expect(out.data).toMatchObject({ error: { code, field: "file" } });
    expect(await stored()).toEqual(before);
  });

  test("a form without a file → 400", async () => {
    const before = await stored();
    const form = new FormData();
    form.append("file", "not a file");
    const out = await upload(form);
    expect(out).toMatchObject({ status: 400, data: { error: { code: "bad_upload", field: "file" } } });
    expect(await stored()).toEqual(before);
  });

  test.each([
    ["just over 5 MB", MAX_UPLOAD_BYTES + 1],
    ["6 MB (the reading stops early)", 6 * 1024 * 1024],
  ])("an image of %s → 413", async (_, size) => {
    const bytes = new Uint8Array(size);
    bytes.set(png(1, 1)); // a real PNG header: only the size is wrong
    const before = await stored();
    const out = await upload(fileForm(bytes, "huge.png", "image/png"));
    expect(out.status).toBe(413);
    expect(out.data).toMatchObject({ error: { code: "too_large", field: "file", message: "图片最大 5 MB。" } });
    expect(await stored()).toEqual(before);
  });

  test("a body that says it is over the limit is refused before it is read", async () => {
    const before = await stored();
    const out = await upload(fileForm(png(1, 1), "a.png", "image/png"), { session: cookie, headers: { "Content-Length": String(10 * 1024 * 1024) } });
    expect(out.status).toBe(413);
    expect(await stored()).toEqual(before);
  });

  test("an anonymous visitor is sent to log in", async () => {
    const before = await stored();
    const out = await upload(fileForm(png(1, 1), "a.png", "image/png"), { session: null });
    expect(out).toMatchObject({ status: 302, location: loginRedirect("/uploads") });
    expect(await stored()).toEqual(before);
  });

  test("without the CSRF token → 403", async () => {
    const before = await stored();
    const out = await upload(fileForm(png(1, 1), "a.png", "image/png"), { session: cookie, csrf: "missing" });
    expect(out).toMatchObject({ status: 403, data: { error: { code: "csrf" } } });
    expect(await stored()).toEqual(before);
  });

  test("a GET (or any method but POST) is not an upload", async () => {
    const req = new Request("http://localhost/uploads", { method: "PUT", headers: { Cookie: cookie }, body: fileForm(png(1, 1), "a.png", "image/png") });
    const out = await settle(() => uploads.action(actionArgs(req)));
    expect(out.status).toBe(405);
  });
});

describe("rate limit and daily allowance, counted in the database", () => {
  test(`a user may upload ${UPLOAD_RATE.count} images in ${UPLOAD_RATE.windowMs / 60_000} minutes; the next is refused with 429 and stores nothing`, async () => {
    const busy = await createUser();
    const busyCookie = await sessionCookie(busy.id);
    for (let i = 0; i < UPLOAD_RATE.count; i++) {
      const out = await upload(fileForm(png(1, 1), `${i}.png`, "image/png"), { session: busyCookie });
      expect(out.status).toBe(201);
    }
    const before = await stored();
    const out = await upload(fileForm(png(1, 1), "one-more.png", "image/png"), { session: busyCookie, headers: { "Accept-Language": "en" } });
    expect(out.status).toBe(429);
    expect(out.data).toMatchObject({ error: { code: "upload_rate", field: "file", message: "Too many uploads: at most 30 images every 10 minutes; try again shortly." } });
    expect(Number(out.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await stored()).toEqual(before);
    // someone else is not held back
    expect((await upload(fileForm(png(1, 1), "mine.png", "image/png"))).status).toBe(201);
  });

  test("uploads another server process recorded count against the 200 MB a day (UPLOAD_DAILY_MB)", async () => {
    const heavy = await createUser();
    const other = createDb(process.env.DATABASE_URL!.replace(/^file:/, ""));
    try {
      await other.upload.create({ data: { userId: heavy.id, path: `elsewhere-${heavy.id}.png`, mime: "image/png", size: 200 * 1024 * 1024 - 100 } });
    } finally {
      await other.$disconnect();
    }
    const before = await stored();
    const big = new Uint8Array(1000);
    big.set(png(1, 1));
    const out = await upload(fileForm(big, "more.png", "image/png"), { session: await sessionCookie(heavy.id) });
    expect(out).toMatchObject({ status: 429, data: { error: { code: "upload_quota", field: "file", message: "24 小时内的上传额度（200 MB）已用完，请稍后再试。" } } });
    expect(await stored()).toEqual(before);
  });

  test("the allowance is for any 24 hours: what was uploaded a day ago no longer counts", async () => {
    const someone = await createUser();
    const limits = { dailyBytes: 1500, rate: UPLOAD_RATE };
    const image = new Uint8Array(1000);
    image.set(png(1, 1));
    const t0 = new Date("2026-12-01T08:00:00Z");
    expect((await storeUpload(someone.id, image, { limits, now: t0 })).ok).toBe(true);
    expect(await storeUpload(someone.id, image, { limits, now: new Date(t0.getTime() + 3_600_000) })).toMatchObject({ ok: false, status: 429, code: "upload_quota" });
    expect((await storeUpload(someone.id, image, { limits, now: new Date(t0.getTime() + 24 * 3_600_000 + 1000) })).ok).toBe(true);
  });
});

describe("serving", () => {
  test.each([
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "../hub.db",
    "....//....//etc/passwd.png",
    "/etc/passwd",
    "abcdefgh.svg",
    "abcdefgh.html",
    "abcdefghijkl.png", // a good name, but no such file
    "",
  ])("%j → 404, never a file outside the uploads", async (name) => {
    const res = serveFile(name);
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(await res.text()).toBe("Not found");
  });
});
