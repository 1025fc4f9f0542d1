import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { MessageKey } from "~/i18n/messages";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { MAX_UPLOAD_BYTES, sniffImage } from "~/utils/images.server";
import { randomToken } from "~/utils/session.server";
import { uploadsDir } from "~/utils/uploads.server";

// 上传 — images for bodies. The only write path for uploads: the bytes decide the type, and each
// user has a rate limit and an allowance per 24 hours, counted in the database so that every
// server process sees the same count.

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

export type UploadOutcome =
  | { ok: true; src: string; width: number | null; height: number | null }
  | { ok: false; status: number; code: string; message: MessageKey; vars?: Record<string, number>; retryAfterS?: number };

/** Checks and stores one image for a user; nothing is stored when anything is refused. */
export async function storeUpload(userId: string, bytes: Uint8Array, o: { limits?: UploadLimits; now?: Date } = {}): Promise<UploadOutcome> {
  const limits = o.limits ?? uploadLimits();
  const now = o.now ?? new Date();
  if (bytes.length === 0) return { ok: false, status: 400, code: "bad_upload", message: "upload.required" };
  if (bytes.length > MAX_UPLOAD_BYTES) return { ok: false, status: 413, code: "too_large", message: "upload.tooLarge", vars: { mb: MAX_UPLOAD_BYTES / 1024 / 1024 } };
  const info = sniffImage(bytes);
  if (!info) return { ok: false, status: 415, code: "unsupported_type", message: "upload.type" };

  const name = `${randomToken(12)}.${info.ext}`;
  const file = path.join(uploadsDir(), name);
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
      await tx.upload.create({ data: { userId, path: name, mime: info.mime, size: bytes.length, createdAt: now } });
      mkdirSync(uploadsDir(), { recursive: true });
      writeFileSync(file, bytes);
      return null;
    });
    if (refused) return refused;
  } catch (e) {
    rmSync(file, { force: true }); // written, but the row was not committed
    throw e;
  }
  return { ok: true, src: `/uploads/${name}`, width: info.width ?? null, height: info.height ?? null };
}
