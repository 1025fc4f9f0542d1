import type { ActionFunctionArgs } from "@remix-run/node";
import { getLocale, translator } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import { storeUpload } from "~/models/upload.server";
import { requireUser } from "~/utils/auth.server";
import { UPLOAD_BODY_LIMIT } from "~/utils/body-limit.server";
import { requireCsrf } from "~/utils/csrf.server";
import { apiError } from "~/utils/http.server";
import { MAX_UPLOAD_BYTES } from "~/utils/images.server";

/**
 * POST /uploads — an image for a body, or with `purpose=attachment` an image or PDF to attach to a
 * record (a delivery): checked by its bytes and size, stored under data/uploads (attachments apart).
 */
export async function action({ request }: ActionFunctionArgs) {
  const t = translator(await getLocale(request));
  const refuse = (status: number, code: string, key: MessageKey, vars?: Record<string, number>) => apiError(status, code, t(key, vars), "file");
  const tooLarge = () => refuse(413, "too_large", "upload.tooLarge", { mb: MAX_UPLOAD_BYTES / 1024 / 1024 });
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "uploads are sent with POST");
  const user = await requireUser(request);
  await requireCsrf(request, null);
  // server.mjs already refuses larger bodies; this holds when the route is called any other way
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > UPLOAD_BODY_LIMIT) return tooLarge();
  let form: FormData;
  try {
    form = await readLimited(request);
  } catch (e) {
    if (e instanceof TooLarge) return tooLarge();
    return refuse(400, "bad_upload", "upload.unreadable");
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return refuse(400, "bad_upload", "upload.required");
  if (file.size > MAX_UPLOAD_BYTES) return tooLarge();
  const purpose = form.get("purpose") === "attachment" ? "attachment" : "image";
  const stored = await storeUpload(user.id, new Uint8Array(await file.arrayBuffer()), { purpose, name: file.name });
  if (!stored.ok) {
    const res = refuse(stored.status, stored.code, stored.message, stored.vars);
    if (stored.retryAfterS) res.headers.set("Retry-After", String(stored.retryAfterS));
    return res;
  }
  if (purpose === "attachment") return Response.json({ file: stored.file, name: stored.name, mime: stored.mime }, { status: 201 });
  return Response.json({ src: stored.src, width: stored.width, height: stored.height }, { status: 201 });
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
      if (total > UPLOAD_BODY_LIMIT) {
        await reader.cancel();
        throw new TooLarge();
      }
      chunks.push(value);
    }
  }
  const body = Buffer.concat(chunks);
  return new Response(body, { headers: { "Content-Type": request.headers.get("Content-Type") ?? "" } }).formData();
}
