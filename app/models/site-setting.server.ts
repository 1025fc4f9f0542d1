import type Database from "better-sqlite3";
import { z } from "zod";
import type { MessageKey } from "~/i18n/messages";
import { db } from "~/utils/db.server";
import { changeStamp, watchTables } from "~/utils/change-stamp.server";
import { isPostgres } from "~/utils/db-provider.server";
import { rawConnectionOf } from "~/utils/raw-sqlite.server";
import { safeString } from "~/utils/text-safety";
import { recordActivity } from "./common.server";

// 网站设置 — the site settings a site admin keeps at /admin/settings: the footer's 主办单位,
// 联系方式, ICP备案号 and 公安备案号, which sites in China must show, and whether content is reviewed (审核). The only write path: every
// change writes the setting and its Activity row (before → after) in one transaction.

/** The known settings: one registry for the form, the validator, the footer and the audit page. */
export const SITE_SETTINGS = {
  host: { label: "admin.settings.host", hint: "admin.settings.hostHint", schema: safeString().trim().max(100, "form.tooLong") },
  contact: { label: "admin.settings.contact", hint: "admin.settings.contactHint", schema: safeString().trim().max(200, "form.tooLong") },
  // 豫ICP备12345678号-1: a province's one-character abbreviation, the number, and the site's index
  icp: {
    label: "admin.settings.icp",
    hint: "admin.settings.icpHint",
    schema: z
      .string()
      .trim()
      .max(40, "form.tooLong")
      .regex(/^(|[\u4e00-\u9fa5]ICP备\d{6,10}号(-\d{1,3})?)$/, "admin.settings.error.icp"),
  },
  // 豫公网安备41010502000001号: 14 digits
  police: {
    label: "admin.settings.police",
    hint: "admin.settings.policeHint",
    schema: z
      .string()
      .trim()
      .max(40, "form.tooLong")
      .regex(/^(|[\u4e00-\u9fa5]公网安备\d{14}号)$/, "admin.settings.error.police"),
  },
  // 审核: "on" holds new and changed public results, patents and needs for a coordinator (review.server.ts)
  review: { label: "admin.settings.review", hint: "admin.settings.reviewHint", schema: z.enum(["", "on"], "form.invalid"), switch: true },
} as const satisfies Record<string, { label: MessageKey; hint: MessageKey; schema: z.ZodType<string>; switch?: boolean }>;

export type SettingKey = keyof typeof SITE_SETTINGS;
export const SETTING_KEYS = Object.keys(SITE_SETTINGS) as SettingKey[];
export type SiteSettings = Record<SettingKey, string>;

export const SiteSettingsSchema = z.object(
  Object.fromEntries(SETTING_KEYS.map((k) => [k, SITE_SETTINGS[k].schema.optional().default("")])) as {
    [K in SettingKey]: z.ZodDefault<z.ZodOptional<(typeof SITE_SETTINGS)[K]["schema"]>>;
  },
);

const empty = (): SiteSettings => Object.fromEntries(SETTING_KEYS.map((k) => [k, ""])) as SiteSettings;
const fromRows = (rows: { key: string; value: string }[]) => {
  const out = empty();
  for (const r of rows) if ((SETTING_KEYS as string[]).includes(r.key)) out[r.key as SettingKey] = r.value;
  return out;
};

// The footer is on every page, so the settings are read once and kept until the table changes:
// PRAGMA data_version moves when another connection (another server process) commits, and a temp
// trigger counts this connection's own writes. Checking both is two tiny statements, no Prisma query.
let cache: { sql: Database.Database; version: number; local: number; values: SiteSettings } | null = null;
const watched = new WeakSet<Database.Database>();

function watch(sql: Database.Database) {
  if (watched.has(sql)) return;
  const bump = "BEGIN UPDATE site_setting_changes SET n = n + 1; END";
  sql.exec(`CREATE TEMP TABLE IF NOT EXISTS site_setting_changes (n INTEGER NOT NULL);
    INSERT INTO temp.site_setting_changes SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM temp.site_setting_changes);
    CREATE TEMP TRIGGER IF NOT EXISTS site_setting_insert AFTER INSERT ON main."SiteSetting" ${bump};
    CREATE TEMP TRIGGER IF NOT EXISTS site_setting_update AFTER UPDATE ON main."SiteSetting" ${bump};
    CREATE TEMP TRIGGER IF NOT EXISTS site_setting_delete AFTER DELETE ON main."SiteSetting" ${bump};`);
  watched.add(sql);
}

/** On PostgreSQL: a change stamp bumped by a trigger on SiteSetting (app/utils/change-stamp.server.ts). */
let postgresCache: { stamp: string; values: SiteSettings } | null = null;
async function siteSettingsPostgres(): Promise<SiteSettings> {
  await watchTables(db, "site_setting", { SiteSetting: [] });
  const stamp = await changeStamp(db, "site_setting"); // before the rows
  if (postgresCache && postgresCache.stamp === stamp) return postgresCache.values;
  const values = fromRows(await db.siteSetting.findMany());
  postgresCache = { stamp, values };
  return values;
}

/** The site settings, every known key ("" when not set). */
export async function getSiteSettings(): Promise<SiteSettings> {
  if (isPostgres(db)) return siteSettingsPostgres();
  let sql = rawConnectionOf(db);
  if (!sql) {
    await db.$queryRaw`SELECT 1`; // opens the adapter's connection, which registers itself
    sql = rawConnectionOf(db);
  }
  if (!sql) return fromRows(await db.siteSetting.findMany());
  watch(sql);
  const version = sql.pragma("data_version", { simple: true }) as number;
  const local = (sql.prepare("SELECT n FROM temp.site_setting_changes").get() as { n: number }).n;
  if (cache && cache.sql === sql && cache.version === version && cache.local === local) return cache.values;
  const values = fromRows(sql.prepare(`SELECT key, value FROM "SiteSetting"`).all() as { key: string; value: string }[]);
  cache = { sql, version, local, values };
  return values;
}

export type SettingsOutcome =
  { ok: true; changed: SettingKey[] } | { ok: false; reason: "forbidden" } | { ok: false; reason: "invalid"; errors: Partial<Record<SettingKey, string>> };

/** Saves the settings form: only the values that changed are written, each with its Activity row. */
export async function saveSiteSettings(actor: { id: string; role: string }, input: Record<string, unknown>): Promise<SettingsOutcome> {
  if (actor.role !== "admin") return { ok: false, reason: "forbidden" };
  const parsed = SiteSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Partial<Record<SettingKey, string>> = {};
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]) as SettingKey;
      errors[key] ??= issue.message.includes(".") ? issue.message : "form.invalid";
    }
    return { ok: false, reason: "invalid", errors };
  }
  const next = parsed.data as SiteSettings;
  return db.$transaction(async (tx) => {
    const current = fromRows(await tx.siteSetting.findMany());
    const changed = SETTING_KEYS.filter((k) => current[k] !== next[k]);
    for (const key of changed) {
      if (next[key]) await tx.siteSetting.upsert({ where: { key }, create: { key, value: next[key], updatedById: actor.id }, update: { value: next[key], updatedById: actor.id } });
      else await tx.siteSetting.deleteMany({ where: { key } });
      await recordActivity(tx, {
        verb: "setting.updated",
        subjectType: "siteSetting",
        subjectId: key,
        actorId: actor.id,
        summary: key,
        before: JSON.stringify({ [key]: current[key] }),
        after: JSON.stringify({ [key]: next[key] }),
      });
    }
    return { ok: true as const, changed };
  });
}
