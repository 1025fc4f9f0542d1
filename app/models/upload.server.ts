import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { MessageKey } from "~/i18n/messages";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { MAX_UPLOAD_BYTES, sniffAttachment, sniffImage } from "~/utils/images.server";
import { randomToken } from "~/utils/session.server";
import { isSafeText } from "~/utils/text-safety";
import { PRIVATE_DIR, uploadsDir } from "~/utils/uploads.server";

// 上传 — images for bodies, and attachments (images or PDF) for delivery records. The only write path
// for uploads: the bytes decide the type (never the name or the browser's claim), and each user has a
// rate limit and an allowance per 24 hours — one count for both kinds — kept in the database so that
// every server process sees the same count. Attachments are stored under private/ and served only
// through the record they are attached to.

export const UPLOAD_RATE = { count: 30, windowMs: 10 * 60_000 };
const DAY_MS = 24 * 3_600_000;

export interface UploadLimits {
  /** bytes a user may upload in any 24 hours (UPLOAD_DAILY_MB) */
  dailyBytes: number;
  /** uploads a user may make in any `windowMs` */
  rate: { count: number; windowMs: number };
}

export function uploadLimits(): UploadLimits {
  return { dailyBytes: Math.round(getEnv().UPLOAD_DAILY_MB * 1024 * 1024), rate: UPLOAD_RATE };
}

export type UploadPurpose = "image" | "attachment";

export type UploadOutcome =
  | { ok: true; src: string; width: number | null; height: number | null; file?: string; name?: string; mime?: string }
  | { ok: false; status: number; code: string; message: MessageKey; vars?: Record<string, number>; retryAfterS?: number };

/** The name a file had on the uploader's computer, kept for its download link: safe text, at most 120 characters. */
function cleanName(name: string | undefined, ext: string): string {
  const base = (name ?? "").replace(/[\\/]/g, "_").trim().slice(-120);
  return base && isSafeText(base) ? base : `attachment.${ext}`;
}

/**
 * Checks and stores one file for a user: an image for a body, or (purpose "attachment") an image or
 * a PDF for a record. Nothing is stored when anything is refused.
 */
export async function storeUpload(
  userId: string,
  bytes: Uint8Array,
  o: { limits?: UploadLimits; now?: Date; purpose?: UploadPurpose; name?: string } = {},
): Promise<UploadOutcome> {
  const attachment = o.purpose === "attachment";
  const limits = o.limits ?? uploadLimits();
  const now = o.now ?? new Date();
  if (bytes.length === 0) return { ok: false, status: 400, code: "bad_upload", message: "upload.required" };
  if (bytes.length > MAX_UPLOAD_BYTES) {
    return { ok: false, status: 413, code: "too_large", message: attachment ? "upload.attachmentTooLarge" : "upload.tooLarge", vars: { mb: MAX_UPLOAD_BYTES / 1024 / 1024 } };
  }
  const info = attachment ? sniffAttachment(bytes) : sniffImage(bytes);
  if (!info) return { ok: false, status: 415, code: "unsupported_type", message: attachment ? "upload.attachmentType" : "upload.type" };

  const name = `${randomToken(12)}.${info.ext}`;
  const stored = attachment ? `${PRIVATE_DIR}/${name}` : name;
  const file = path.join(uploadsDir(), stored);
  const original = attachment ? cleanName(o.name, info.ext) : "";
  try {
    // the count, the check and the new row in one write transaction (BEGIN IMMEDIATE): two
    // processes cannot both see room for one more
    const refused = await db.$transaction(async (tx): Promise<UploadOutcome | null> => {
      const recent = await tx.upload.findMany({
        where: { userId, createdAt: { gt: new Date(now.getTime() - limits.rate.windowMs) } },
        orderBy: { createdAt: "asc" },
        select: { createdAt: true },
      });
      if (recent.length >= limits.rate.count) {
        const retryAfterS = Math.max(1, Math.ceil((recent[0].createdAt.getTime() + limits.rate.windowMs - now.getTime()) / 1000));
        return { ok: false, status: 429, code: "upload_rate", message: "upload.rate", vars: { n: limits.rate.count, minutes: limits.rate.windowMs / 60_000 }, retryAfterS };
      }
      const used = await tx.upload.aggregate({ where: { userId, createdAt: { gt: new Date(now.getTime() - DAY_MS) } }, _sum: { size: true } });
      if ((used._sum.size ?? 0) + bytes.length > limits.dailyBytes) {
        return { ok: false, status: 429, code: "upload_quota", message: "upload.quota", vars: { mb: Math.round((limits.dailyBytes / 1024 / 1024) * 10) / 10 } };
      }
      await tx.upload.create({ data: { userId, path: stored, mime: info.mime, size: bytes.length, name: original, createdAt: now } });
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, bytes);
      return null;
    });
    if (refused) return refused;
  } catch (e) {
    rmSync(file, { force: true }); // written, but the row was not committed
    throw e;
  }
  if (attachment) return { ok: true, src: "", file: name, name: original, mime: info.mime, width: info.width ?? null, height: info.height ?? null };
  return { ok: true, src: `/uploads/${name}`, width: info.width ?? null, height: info.height ?? null };
}

/** Attachments a user uploaded, by their file names: what a record may attach (their own only). */
export async function ownAttachments(tx: Pick<typeof db, "upload">, userId: string, files: string[]) {
  if (!files.length) return [];
  return tx.upload.findMany({ where: { userId, path: { in: files.map((f) => `${PRIVATE_DIR}/${f}`) } }, select: { path: true, name: true, mime: true, size: true } });
}

/** The stored attachments of these file names, for listing them and serving one. */
export async function attachmentsByFile(files: string[]) {
  if (!files.length) return new Map<string, { file: string; name: string; mime: string; size: number }>();
  const rows = await db.upload.findMany({ where: { path: { in: files.map((f) => `${PRIVATE_DIR}/${f}`) } }, select: { path: true, name: true, mime: true, size: true } });
  return new Map(rows.map((r) => [r.path.slice(PRIVATE_DIR.length + 1), { file: r.path.slice(PRIVATE_DIR.length + 1), name: r.name, mime: r.mime, size: r.size }]));
}

/** Where an attachment's bytes are on disk. */
export const attachmentPath = (file: string) => path.join(uploadsDir(), PRIVATE_DIR, file);
