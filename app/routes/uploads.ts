import type { ActionFunctionArgs } from "@remix-run/node";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { db } from "~/utils/db.server";
import { apiError } from "~/utils/http.server";
import { MAX_UPLOAD_BYTES, sniffImage } from "~/utils/images.server";
import { randomToken } from "~/utils/session.server";
import { uploadsDir } from "~/utils/uploads.server";

/** POST /uploads — an image for a body: checked by its bytes and size, stored under data/uploads. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "uploads are sent with POST");
  const user = await requireUser(request);
  await requireCsrf(request, null);
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > MAX_UPLOAD_BYTES + 64 * 1024) return tooLarge();
  let form: FormData;
  try {
    form = await readLimited(request);
  } catch (e) {
    if (e instanceof TooLarge) return tooLarge();
    return apiError(400, "bad_upload", "the upload could not be read as a multipart form", "file");
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return apiError(400, "bad_upload", "choose an image file to upload", "file");
  if (file.size > MAX_UPLOAD_BYTES) return tooLarge();
  const bytes = new Uint8Array(await file.arrayBuffer());
  const info = sniffImage(bytes);
  if (!info) return apiError(415, "unsupported_type", "only PNG, JPEG, GIF and WebP images can be uploaded", "file");
  const name = `${randomToken(12)}.${info.ext}`;
  mkdirSync(uploadsDir(), { recursive: true });
  writeFileSync(path.join(uploadsDir(), name), bytes);
  await db.upload.create({ data: { userId: user.id, path: name, mime: info.mime, size: bytes.length } });
  return Response.json({ src: `/uploads/${name}`, width: info.width ?? null, height: info.height ?? null }, { status: 201 });
}

class TooLarge extends Error {}

/** Reads the body but stops as soon as it passes the size limit (a lying Content-Length included). */
async function readLimited(request: Request): Promise<FormData> {
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > MAX_UPLOAD_BYTES + 64 * 1024) {
        await reader.cancel();
        throw new TooLarge();
      }
      chunks.push(value);
    }
  }
  const body = Buffer.concat(chunks);
  return new Response(body, { headers: { "Content-Type": request.headers.get("Content-Type") ?? "" } }).formData();
}

function tooLarge() {
  return apiError(413, "too_large", `images can be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, "file");
}
