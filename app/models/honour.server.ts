import { recordActivity } from "./common.server";
import { z } from "zod";
import { HONOUR_BY_KEY, HONOUR_LEVELS, matchHonour, normalizeHonourText, type HonourLevel } from "~/content/honours";
export { topLevel } from "~/content/honours";
import { db, type Tx } from "~/utils/db.server";
import { slugFromName } from "~/utils/slug.server";
import { safeString } from "~/utils/text-safety";
import { indexRecord } from "./search/sync.server";

// 荣誉名录 — the controlled honours list as site admins keep it (/admin/honours). The Honour table is
// the list of record: names, level and rank come from it. The built-in honours of
// app/content/honours.ts seed it and keep their text patterns (全国劳模 → 全国劳动模范); an honour an
// admin adds is recognised by its exact name. A retired honour stays on the people who hold it but is
// no longer offered as a filter nor matched onto new text. Only site admins change the list; each
// change writes its Activity row (before → after) in the same transaction, and the search documents
// of the people who hold the honour follow a new name or level.

export type HonourRow = { key: string; nameZh: string; nameEn: string; level: string; rank: number; retiredAt: Date | null };

/** Every honour on the list, retired ones too, highest first. */
export function listHonours(tx: Tx = db): Promise<HonourRow[]> {
  return tx.honour.findMany({ orderBy: { rank: "asc" } });
}

/** The honours a person can be given (and the directory filters by): those not retired. */
export async function honourChoices() {
  return (await listHonours()).filter((h) => !h.retiredAt).map((h) => ({ key: h.key, nameZh: h.nameZh, nameEn: h.nameEn, level: h.level }));
}

/** The honour on `list` that `text` names (a built-in's pattern, or any honour's exact name), or null. */
export function matchHonourIn(list: readonly HonourRow[], text: string): HonourRow | null {
  const live = list.filter((h) => !h.retiredAt);
  const builtIn = matchHonour(text);
  if (builtIn) return live.find((h) => h.key === builtIn.key) ?? null;
  const t = normalizeHonourText(text);
  if (!t) return null;
  return live.find((h) => normalizeHonourText(h.nameZh) === t || normalizeHonourText(h.nameEn).toLowerCase() === t.toLowerCase()) ?? null;
}

// —— administration ——

type Actor = { id: string; role: string };
const isAdmin = (a: Actor | null) => a?.role === "admin";

export const HonourSchema = z.object({
  nameZh: safeString().trim().min(2, "form.required").max(40, "form.tooLong"),
  nameEn: safeString().trim().min(2, "form.required").max(100, "form.tooLong"),
  level: z.enum(HONOUR_LEVELS, { message: "form.invalid" }),
});
export type HonourInput = z.input<typeof HonourSchema>;

export type HonourOutcome =
  { ok: true; key: string; name: string; changed: boolean } | { ok: false; reason: "forbidden" | "not-found" } | { ok: false; reason: "invalid"; errors: Record<string, string> };

/** The list for the admin page, with how many people hold each honour. */
export async function listHonoursForAdmin(actor: Actor | null) {
  if (!isAdmin(actor)) return null;
  const rows = await db.honour.findMany({ orderBy: { rank: "asc" }, include: { _count: { select: { people: true } } } });
  return rows.map((h) => ({
    key: h.key,
    nameZh: h.nameZh,
    nameEn: h.nameEn,
    level: h.level as HonourLevel,
    retiredAt: h.retiredAt?.toISOString() ?? null,
    people: h._count.people,
    builtIn: HONOUR_BY_KEY.has(h.key),
  }));
}

function parseHonour(input: HonourInput) {
  const parsed = HonourSchema.safeParse(input);
  if (parsed.success) return { ok: true as const, data: parsed.data };
  const errors: Record<string, string> = {};
  for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message.includes(".") ? i.message : "form.invalid";
  return { ok: false as const, errors };
}

/** Ranks 1…n, national first, keeping the order within each level. */
async function renumber(tx: Tx) {
  const rows = await tx.honour.findMany({ orderBy: { rank: "asc" }, select: { key: true, level: true, rank: true } });
  const sorted = [...rows].sort((a, b) => HONOUR_LEVELS.indexOf(a.level as HonourLevel) - HONOUR_LEVELS.indexOf(b.level as HonourLevel) || a.rank - b.rank);
  for (const [i, h] of sorted.entries()) if (h.rank !== i + 1) await tx.honour.update({ where: { key: h.key }, data: { rank: i + 1 } });
}

/** The search documents of the people holding the honour: they carry its names and their level. */
async function reindexHolders(tx: Tx, key: string) {
  const people = await tx.person.findMany({ where: { honourLinks: { some: { honourKey: key } } }, select: { slug: true } });
  for (const p of people) await indexRecord(tx, "person", p.slug);
}

async function nameTaken(tx: Tx, nameZh: string, nameEn: string, except?: string) {
  const same = await tx.honour.findFirst({ where: { OR: [{ nameZh }, { nameEn }], ...(except ? { NOT: { key: except } } : {}) }, select: { nameZh: true } });
  return same ? { [same.nameZh === nameZh ? "nameZh" : "nameEn"]: "admin.honours.error.nameTaken" } : null;
}

export async function createHonour(actor: Actor, input: HonourInput): Promise<HonourOutcome> {
  if (!isAdmin(actor)) return { ok: false, reason: "forbidden" };
  const parsed = parseHonour(input);
  if (!parsed.ok) return { ok: false, reason: "invalid", errors: parsed.errors };
  const d = parsed.data;
  return db.$transaction(async (tx) => {
    const taken = await nameTaken(tx, d.nameZh, d.nameEn);
    if (taken) return { ok: false as const, reason: "invalid" as const, errors: taken };
    const base = slugFromName(d.nameEn) || slugFromName(d.nameZh) || "honour";
    let key = base;
    for (let n = 2; await tx.honour.findUnique({ where: { key }, select: { key: true } }); n++) key = `${base}-${n}`;
    const last = await tx.honour.aggregate({ _max: { rank: true } });
    await tx.honour.create({ data: { key, nameZh: d.nameZh, nameEn: d.nameEn, level: d.level, rank: (last._max.rank ?? 0) + 1 } });
    await renumber(tx);
    await recordActivity(tx, { verb: "honour.created", subjectType: "honour", subjectId: key, actorId: actor.id, summary: d.nameZh, after: JSON.stringify(d) });
    return { ok: true as const, key, name: d.nameZh, changed: true };
  });
}

/** Renames an honour and sets its level: one form, one Activity row per kind of change. */
export async function updateHonour(actor: Actor, key: string, input: HonourInput): Promise<HonourOutcome> {
  if (!isAdmin(actor)) return { ok: false, reason: "forbidden" };
  const parsed = parseHonour(input);
  if (!parsed.ok) return { ok: false, reason: "invalid", errors: parsed.errors };
  const d = parsed.data;
  return db.$transaction(async (tx) => {
    const h = await tx.honour.findUnique({ where: { key } });
    if (!h) return { ok: false as const, reason: "not-found" as const };
    const renamed = h.nameZh !== d.nameZh || h.nameEn !== d.nameEn;
    const relevelled = h.level !== d.level;
    if (!renamed && !relevelled) return { ok: true as const, key, name: h.nameZh, changed: false };
    const taken = renamed ? await nameTaken(tx, d.nameZh, d.nameEn, key) : null;
    if (taken) return { ok: false as const, reason: "invalid" as const, errors: taken };
    await tx.honour.update({ where: { key }, data: { nameZh: d.nameZh, nameEn: d.nameEn, level: d.level } });
    if (relevelled) await renumber(tx);
    const log = (verb: string, before: object, after: object) =>
      recordActivity(tx, { verb, subjectType: "honour", subjectId: key, actorId: actor.id, summary: d.nameZh, before: JSON.stringify(before), after: JSON.stringify(after) });
    if (renamed) await log("honour.renamed", { nameZh: h.nameZh, nameEn: h.nameEn }, { nameZh: d.nameZh, nameEn: d.nameEn });
    if (relevelled) await log("honour.levelChanged", { level: h.level }, { level: d.level });
    await reindexHolders(tx, key);
    return { ok: true as const, key, name: d.nameZh, changed: true };
  });
}

/** Retires an honour (no longer offered or matched; its holders keep it) or brings it back. */
export async function setHonourRetired(actor: Actor, key: string, retired: boolean): Promise<HonourOutcome> {
  if (!isAdmin(actor)) return { ok: false, reason: "forbidden" };
  return db.$transaction(async (tx) => {
    const h = await tx.honour.findUnique({ where: { key } });
    if (!h) return { ok: false as const, reason: "not-found" as const };
    if (!!h.retiredAt === retired) return { ok: true as const, key, name: h.nameZh, changed: false };
    await tx.honour.update({ where: { key }, data: { retiredAt: retired ? new Date() : null } });
    await recordActivity(tx, {
      verb: retired ? "honour.retired" : "honour.restored",
      subjectType: "honour",
      subjectId: key,
      actorId: actor.id,
      summary: h.nameZh,
      before: JSON.stringify({ retired: !retired }),
      after: JSON.stringify({ retired }),
    });
    return { ok: true as const, key, name: h.nameZh, changed: true };
  });
}
