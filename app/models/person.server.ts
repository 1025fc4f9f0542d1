import { pinyin } from "pinyin-pro";
import { matchHonour, topHonourLevel } from "~/content/honours";
import type { Tx } from "~/utils/db.server";
import { parseList, toList } from "~/utils/json";

// 人才库 — people of the studios. This module is the only write path for Person, PersonHonour and
// PersonResult: the studio importer, the people/<slug>.md importer and the studio admins' editor all
// come through here, so slugs, honour matching and the honours text stay one rule.

const COMPOUND_SURNAMES = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "夏侯", "尉迟", "长孙", "宇文", "司徒", "端木", "公孙", "西门"];

/** An ASCII slug for a person's name: surname, then given name, e.g. 王建军 → wang-jianjun. */
export function personSlugBase(name: string): string {
  const n = name.trim().replace(/\s+/g, " ");
  const py = (s: string) => pinyin(s, { toneType: "none", type: "array", nonZh: "consecutive", surname: "head" }).join("").replace(/ü/g, "v");
  let parts: string[];
  if (/^[\u4e00-\u9fff]{2,}$/.test(n)) {
    const sl = COMPOUND_SURNAMES.some((c) => n.startsWith(c) && n.length > 2) ? 2 : 1;
    parts = [py(n.slice(0, sl)), pinyin(n.slice(sl), { toneType: "none", type: "array" }).join("").replace(/ü/g, "v")];
  } else {
    parts = n.split(/[\s·•]+/).map((w) => (/[\u4e00-\u9fff]/.test(w) ? py(w) : w.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")));
  }
  const slug = parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50)
    .replace(/-+$/, "");
  return slug || "person";
}

/** A slug no other person holds: the base, else base-2, base-3 … */
async function freeSlug(tx: Tx, name: string, selfId?: string): Promise<string> {
  const base = personSlugBase(name);
  const taken = new Set(
    (await tx.person.findMany({ where: { slug: { startsWith: base }, ...(selfId ? { NOT: { id: selfId } } : {}) }, select: { slug: true } })).map((p) => p.slug),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Replaces a person's honours: each text is matched onto the controlled list or kept as free text. */
export async function setPersonHonours(tx: Tx, personId: string, texts: readonly string[]) {
  const clean = [...new Set(texts.map((t) => t.trim()).filter(Boolean))];
  await tx.personHonour.deleteMany({ where: { personId } });
  if (clean.length) {
    await tx.personHonour.createMany({
      data: clean.map((text, i) => ({ personId, text, honourKey: matchHonour(text)?.key ?? null, sortOrder: i })),
    });
  }
  await tx.person.update({ where: { id: personId }, data: { honours: toList(clean) } });
}

export interface PersonFields {
  name: string;
  role: string;
  sortOrder?: number;
  honours?: readonly string[];
  skills?: readonly string[];
  bio?: string;
  title?: string | null;
}

/**
 * Creates or updates the person `name` of a studio. The slug is kept once given (links survive
 * re-imports); a placeholder slug (the id, from the migration) is replaced. Fields left undefined
 * are not touched. Returns the person's id and whether anything changed.
 */
export async function upsertPerson(tx: Tx, studioId: string, f: PersonFields, origin: "studio" | "file" | "editor") {
  const existing = await tx.person.findUnique({ where: { studioId_name: { studioId, name: f.name } } });
  const data = {
    role: f.role,
    ...(f.sortOrder !== undefined ? { sortOrder: f.sortOrder } : {}),
    ...(f.skills !== undefined ? { skills: toList([...new Set(f.skills.map((s) => s.trim()).filter(Boolean))]) } : {}),
    ...(f.bio !== undefined ? { bio: f.bio.trim() } : {}),
    ...(f.title !== undefined ? { title: f.title } : {}),
  };
  let id: string;
  let changed = false;
  if (existing) {
    id = existing.id;
    const slug = existing.slug === existing.id || !existing.slug ? await freeSlug(tx, f.name, existing.id) : existing.slug;
    // a person named by the studio file and described by a people/ file belongs to the file from then on
    const nextOrigin = existing.origin === "studio" && origin === "file" ? "file" : existing.origin;
    const next = { ...data, slug, origin: nextOrigin };
    changed = Object.entries(next).some(([k, v]) => (existing as Record<string, unknown>)[k] !== v);
    if (changed) await tx.person.update({ where: { id }, data: next });
  } else {
    const created = await tx.person.create({ data: { ...data, name: f.name, studioId, origin, slug: await freeSlug(tx, f.name) } });
    id = created.id;
    changed = true;
  }
  if (f.honours !== undefined) {
    const before = existing ? parseList(existing.honours) : [];
    const after = [...new Set(f.honours.map((t) => t.trim()).filter(Boolean))];
    const links = existing ? await tx.personHonour.count({ where: { personId: id } }) : 0;
    if (!existing || JSON.stringify(before) !== JSON.stringify(after) || links !== after.length) {
      await setPersonHonours(tx, id, after);
      changed = true;
    }
  }
  return { id, changed };
}

/**
 * Brings a studio's people in line with its studio file (`leader`, `leader_honours`, `members`).
 * The studio file owns the role and order of the people it names, and the leader's honours when it
 * lists some; skills, bios and the people added by a people/ file or an editor are left alone.
 * People the file no longer names are removed only when they came from the studio file.
 */
export async function syncStudioPeople(tx: Tx, studioId: string, leader: string, leaderHonours: readonly string[], members: readonly string[]) {
  const named = [
    { name: leader, role: "leader", sortOrder: 0, honours: leaderHonours.length ? leaderHonours : undefined },
    ...[...new Set(members)].filter((m) => m !== leader).map((name, i) => ({ name, role: "member", sortOrder: i + 1, honours: undefined })),
  ];
  let changed = false;
  for (const p of named) changed = (await upsertPerson(tx, studioId, p, "studio")).changed || changed;
  const gone = await tx.person.findMany({ where: { studioId, origin: "studio", name: { notIn: named.map((p) => p.name) } }, select: { id: true } });
  if (gone.length) {
    await tx.person.deleteMany({ where: { id: { in: gone.map((p) => p.id) } } });
    changed = true;
  }
  return changed;
}

/** The highest honour level of a person's controlled honours (national > provincial > municipal). */
export function personHonourLevel(links: readonly { honourKey: string | null }[]) {
  return topHonourLevel(links.map((l) => l.honourKey));
}
