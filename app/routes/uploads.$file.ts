import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadStream, existsSync, statSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { MIME_BY_EXT } from "~/utils/images.server";
import { uploadsDir } from "~/utils/uploads.server";

/** GET /uploads/:file — served as an image only, never sniffed into something else. */
export function loader({ params }: LoaderFunctionArgs) {
  const name = params.file ?? "";
  const m = /^[A-Za-z0-9_-]{8,40}\.(png|jpg|gif|webp)$/.exec(name);
  const file = m ? path.join(uploadsDir(), name) : "";
  if (!m || !existsSync(file)) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, {
    headers: {
      "Content-Type": MIME_BY_EXT[m[1]],
      "Content-Length": String(statSync(file).size),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
      "Content-Disposition": "inline",
    },
  });
}
