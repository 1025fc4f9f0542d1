import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadStream, existsSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import { deliveryAttachment } from "~/models/need-loop.server";
import { attachmentPath } from "~/models/upload.server";
import { requireUser } from "~/utils/auth.server";
import { forbidden } from "~/utils/http.server";
import { getUser } from "~/utils/session.server";

/**
 * GET /needs/:slug/attachments/:file — a file of the need's delivery records, for those who see the
 * whole need (the need page's rule); anonymous visitors are sent to sign in, others refused.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const found = await deliveryAttachment(user, params.slug ?? "", params.file ?? "");
  if (!found) return missing();
  if (found === "forbidden") {
    if (!user) await requireUser(request);
    throw forbidden("attachment.refused");
  }
  const file = attachmentPath(found.file);
  if (!existsSync(file)) return missing();
  const ascii = found.name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, {
    headers: {
      "Content-Type": found.mime,
      "Content-Length": String(statSync(file).size),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(found.name)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}

const missing = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
