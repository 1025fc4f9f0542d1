import { pinyin } from "pinyin-pro";
import { z } from "zod";
import type { ContentFile } from "~/content/load.server";
import type { PersonFront } from "~/content/schema";
import { HONOUR_LEVELS, type HonourLevel } from "~/content/honours";
import { listHonours, matchHonourIn, topLevel } from "./honour.server";
import { db, type Prisma, type Tx } from "~/utils/db.server";
import { randomUUID } from "node:crypto";
import { indexRecord, removeDocument, writeDocuments } from "./search/sync.server";
import { buildPersonDocuments, buildStudioDocuments } from "./search/documents.server";
import { recordActivities, recordActivity, type SaveOutcome } from "./common.server";
import { PUBLIC_NEEDS } from "./need-loop.server";
import { resultVisibleTo, type ResultViewer } from "./result-visibility";
import { PERSON_LISTS, parseList, toList, withLists } from "~/utils/json";
import { pageWindow, slicePage } from "~/utils/paging";
import { rawConnectionOf } from "~/utils/raw-sqlite.server";

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

/**
 * Replaces a person's honours: each text is matched onto the controlled list or kept as free text.
 * A text the person already held keeps its honour, even one retired since.
 */
export async function setPersonHonours(tx: Tx, personId: string, texts: readonly string[]) {
  const clean = [...new Set(texts.map((t) => t.trim()).filter(Boolean))];
  const held = new Map((await tx.personHonour.findMany({ where: { personId, honourKey: { not: null } } })).map((l) => [l.text, l.honourKey]));
  const honours = await listHonours(tx);
  await tx.personHonour.deleteMany({ where: { personId } });
  if (clean.length) {
    await tx.personHonour.createMany({
      data: clean.map((text, i) => ({ personId, text, honourKey: held.get(text) ?? matchHonourIn(honours, text)?.key ?? null, sortOrder: i })),
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
  // once a people/ file describes a person, it owns their role and honours: the studio file does not undo it
  const fileOwned = origin === "studio" && existing?.origin === "file";
  if (fileOwned) f = { ...f, role: existing.role, honours: undefined };
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
    if (slug !== existing.slug) await removeDocument(tx, `person:${existing.slug}`);
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
  if (gone.length)
    await removePeople(
      tx,
      gone.map((p) => p.id),
    );
  return changed || gone.length > 0;
}

/** Deletes people with their search documents. */
export async function removePeople(tx: Tx, ids: readonly string[]) {
  const rows = await tx.person.findMany({ where: { id: { in: [...ids] } }, select: { slug: true } });
  await tx.person.deleteMany({ where: { id: { in: [...ids] } } });
  for (const r of rows) await removeDocument(tx, `person:${r.slug}`);
}

/** Rewrites the search documents of a studio's people (they carry the studio's name and enterprise). */
export async function indexStudioPeople(tx: Tx, studioId: string) {
  for (const p of await tx.person.findMany({ where: { studioId }, select: { slug: true } })) await indexRecord(tx, "person", p.slug);
}

/** The highest honour level of a person's controlled honours (national > provincial > municipal), as the list says today. */
export function personHonourLevel(links: readonly { honour: { level: string; rank: number } | null }[]) {
  return topLevel(links.map((l) => l.honour));
}

export const PEOPLE_PER_PAGE = 24;

export interface PeopleFilter {
  /** the highest honour's level: national | provincial | municipal */
  level?: HonourLevel;
  /** a controlled honour's key */
  honour?: string;
  industry?: string;
  enterprise?: string;
  skill?: string;
  /** the page, and people per page; the spreadsheet export takes them all (perPage Infinity) */
  page?: number;
  perPage?: number;
}

const personRank = (links: readonly { honour: { rank: number } | null }[]) => Math.min(99, ...links.map((l) => l.honour?.rank ?? 99));

/**
 * The people directory: people matching every filter but the level, counted by their highest
 * honour's level (the level filter's counts), then the level applied, best honoured first, one page.
 */
export async function listPeople(filter: PeopleFilter) {
  const where: Prisma.PersonWhereInput = {
    ...(filter.honour ? { honourLinks: { some: { honourKey: filter.honour } } } : {}),
    ...(filter.skill ? { skills: { contains: JSON.stringify(filter.skill) } } : {}),
    studio: {
      ...(filter.industry ? { industryKey: filter.industry } : {}),
      ...(filter.enterprise ? { enterprise: { slug: filter.enterprise } } : {}),
    },
  };
  const rows = await db.person.findMany({
    where,
    include: {
      studio: { select: { slug: true, name: true, illustrative: true, industryKey: true, enterprise: { select: { slug: true, name: true } } } },
      honourLinks: { orderBy: { sortOrder: "asc" }, select: { honourKey: true, text: true, honour: { select: { level: true, rank: true } } } },
    },
  });
  const withLevel = rows.map((p) => ({ ...p, level: personHonourLevel(p.honourLinks), rank: personRank(p.honourLinks) }));
  const levelCounts = Object.fromEntries(HONOUR_LEVELS.map((l) => [l, withLevel.filter((p) => p.level === l).length])) as Record<HonourLevel, number>;
  const collator = new Intl.Collator("zh-CN");
  const matching = withLevel
    .filter((p) => !filter.level || p.level === filter.level)
    .sort((a, b) => a.rank - b.rank || (a.role === "leader" ? 0 : 1) - (b.role === "leader" ? 0 : 1) || collator.compare(a.name, b.name) || a.slug.localeCompare(b.slug));
  // ordered by honour rank and the zh-CN collator, which SQLite cannot do: the filter is SQL, the order and the page JS
  const w = pageWindow(matching.length, filter, PEOPLE_PER_PAGE);
  return {
    total: matching.length,
    page: w.page,
    pages: w.pages,
    levelCounts,
    people: slicePage(matching, w).map((p) => withLists(p, PERSON_LISTS)),
  };
}

/** People with what their spreadsheet row shows: all of them, or those of `ids`; results only those `viewer` may see. */
export async function peopleForSheet(viewer: ResultViewer, ids?: string[]) {
  const read = (where: Prisma.PersonWhereInput) =>
    db.person.findMany({
      where,
      include: {
        studio: { select: { slug: true, name: true, enterprise: { select: { name: true } } } },
        resultLinks: { where: { result: resultVisibleTo(viewer) }, select: { result: { select: { slug: true } } } },
      },
    });
  if (!ids) return read({});
  const out = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await read({ id: { in: ids.slice(i, i + 500) } })));
  return out;
}

/** The filter choices of the directory: enterprises with people, and every skill someone lists. */
export async function peopleFacets() {
  const [people, enterprises] = await Promise.all([
    db.person.findMany({ select: { skills: true } }),
    db.enterprise.findMany({ where: { studios: { some: { people: { some: {} } } } }, select: { slug: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  const counts = new Map<string, number>();
  for (const p of people) for (const s of parseList(p.skills)) counts.set(s, (counts.get(s) ?? 0) + 1);
  const collator = new Intl.Collator("zh-CN");
  const skills = [...counts].sort((a, b) => b[1] - a[1] || collator.compare(a[0], b[0])).map(([value, count]) => ({ value, count }));
  return { skills, enterprises };
}

/**
 * A person's page: studio, enterprise, honours, skills, bio, the results they took part in that
 * `viewer` may see, and the deliveries they went on for needs anyone may see. No contact details:
 * the talent base holds none.
 */
export async function getPerson(viewer: ResultViewer, slug: string) {
  const p = await db.person.findUnique({
    where: { slug },
    include: {
      studio: { include: { enterprise: { select: { slug: true, name: true } }, industry: true } },
      honourLinks: { orderBy: { sortOrder: "asc" }, include: { honour: true } },
      resultLinks: { where: { result: resultVisibleTo(viewer) }, include: { result: { select: { slug: true, title: true, kind: true, year: true, illustrative: true } } } },
    },
  });
  if (!p) return null;
  const deliveries = await db.delivery.findMany({
    where: { people: { contains: JSON.stringify(p.id) }, need: PUBLIC_NEEDS },
    include: { need: { select: { slug: true, title: true, enterprise: { select: { name: true } } } } },
    orderBy: { date: "desc" },
  });
  return {
    ...withLists(p, PERSON_LISTS),
    level: personHonourLevel(p.honourLinks),
    results: p.resultLinks.map((l) => l.result).sort((a, b) => b.year - a.year || a.title.localeCompare(b.title)),
    deliveries,
  };
}

/** People whose slug is close to an unknown one, for a helpful 404. */
export async function similarPeople(slug: string, take = 4) {
  const words = slug.split("-").filter((w) => w.length > 1);
  if (!words.length) return [];
  return db.person.findMany({ where: { OR: words.map((w) => ({ slug: { contains: w } })) }, select: { slug: true, name: true }, take });
}

/**
 * Imports people/<slug>.md: the person `name` of `studio`, created or updated, with the file's slug
 * (the file name is the person's address from then on), honours, skills, profile and results.
 * References were checked by the importer beforehand.
 */
export async function savePersonFile(tx: Tx, f: ContentFile<PersonFront>, actorId?: string | null): Promise<SaveOutcome> {
  const studio = await tx.studio.findUniqueOrThrow({ where: { slug: f.data.studio }, select: { id: true, slug: true } });
  const existing = await tx.person.findUnique({ where: { studioId_name: { studioId: studio.id, name: f.data.name } } });
  const { id, changed } = await upsertPerson(
    tx,
    studio.id,
    { name: f.data.name, role: f.data.role, honours: f.data.honours, skills: f.data.skills, bio: f.bodyText, title: f.data.title ?? null },
    "file",
  );
  let dirty = changed;
  const person = await tx.person.findUniqueOrThrow({ where: { id } });
  if (person.slug !== f.slug) {
    await tx.person.update({ where: { id }, data: { slug: f.slug } });
    await removeDocument(tx, `person:${person.slug}`);
    dirty = true;
  }
  const results = await tx.result.findMany({ where: { slug: { in: f.data.results }, studioId: studio.id }, select: { id: true } });
  const linked = (await tx.personResult.findMany({ where: { personId: id }, select: { resultId: true } })).map((l) => l.resultId).sort();
  if (JSON.stringify(linked) !== JSON.stringify(results.map((r) => r.id).sort())) {
    await tx.personResult.deleteMany({ where: { personId: id } });
    if (results.length) await tx.personResult.createMany({ data: results.map((r) => ({ personId: id, resultId: r.id })) });
    dirty = true;
  }
  if (!dirty) return "unchanged";
  await indexRecord(tx, "person", f.slug);
  await indexRecord(tx, "studio", studio.slug);
  await recordActivity(tx, { verb: existing ? "person.updated" : "person.created", subjectType: "person", subjectId: id, studioId: studio.id, actorId, summary: f.data.name });
  return existing ? "updated" : "created";
}

// ── many people at once (a spreadsheet import of thousands of rows, decision 0025) ──
// The same rows, honours, links, documents and activity as savePersonFile and syncStudioPeople
// write one by one, in a few statements per 500 rows: Prisma costs milliseconds a statement here.

interface NewPerson {
  id: string;
  slug: string;
  name: string;
  studioId: string;
  role: string;
  title: string | null;
  sortOrder: number;
  honours: string[];
  skills: string[];
  bio: string;
  origin: "studio" | "file";
}

const cleanList = (list: readonly string[]) => [...new Set(list.map((t) => t.trim()).filter(Boolean))];

/** Inserts new people with their honours (matched onto the controlled list as setPersonHonours does). */
async function insertPeople(tx: Tx, people: NewPerson[]) {
  const honours = await listHonours(tx);
  for (let i = 0; i < people.length; i += 500) {
    const chunk = people.slice(i, i + 500);
    await tx.person.createMany({
      data: chunk.map((p) => ({ ...p, honours: toList(p.honours), skills: toList(p.skills) })),
    });
    const links = chunk.flatMap((p) => p.honours.map((text, k) => ({ personId: p.id, text, honourKey: matchHonourIn(honours, text)?.key ?? null, sortOrder: k })));
    for (let k = 0; k < links.length; k += 500) await tx.personHonour.createMany({ data: links.slice(k, k + 500) });
  }
}

/** Every person's slug, to give new people slugs no one holds (freeSlug, for thousands at once). */
async function takenPersonSlugs(tx: Tx, reserved: Iterable<string> = []) {
  return new Set([...(await tx.person.findMany({ select: { slug: true } })).map((p) => p.slug), ...reserved]);
}

function freeSlugIn(taken: Set<string>, name: string) {
  const base = personSlugBase(name);
  let slug = base;
  for (let i = 2; taken.has(slug); i++) slug = `${base}-${i}`;
  taken.add(slug);
  return slug;
}

/**
 * The leaders and members of new studios (what syncStudioPeople writes for a studio just created):
 * `reserved` are slugs promised to rows written after these (a people sheet of the same import).
 * Returns the new people's slugs; the caller writes their search documents with the studios'.
 */
export async function createStudioPeople(
  tx: Tx,
  studios: readonly { id: string; leader: string; leaderHonours: readonly string[]; members: readonly string[] }[],
  reserved: Iterable<string> = [],
): Promise<string[]> {
  const taken = await takenPersonSlugs(tx, reserved);
  const people: NewPerson[] = studios
    .flatMap((s) => [
      { name: s.leader, role: "leader", sortOrder: 0, honours: cleanList(s.leaderHonours), studioId: s.id },
      ...[...new Set(s.members)].filter((m) => m !== s.leader).map((name, i) => ({ name, role: "member", sortOrder: i + 1, honours: [], studioId: s.id })),
    ])
    .map((p) => ({ ...p, id: randomUUID(), slug: freeSlugIn(taken, p.name), title: null, skills: [], bio: "", origin: "studio" as const }));
  await insertPeople(tx, people);
  return people.map((p) => p.slug);
}

export interface StudioPeople {
  id: string;
  leader: string;
  leaderHonours: readonly string[];
  members: readonly string[];
}

/**
 * syncStudioPeople for many existing studios at once (a spreadsheet import of changed studios): the
 * same rule — the studio file owns the role and order of the people it names and the leader's
 * honours when it lists some, a person a people/ file describes keeps their role and honours, new
 * names become people, names dropped leave when they came from the studio file — read and written
 * in a few statements. `reserved` are slugs promised to rows written afterwards. Writes no search
 * documents: the caller rewrites those of the studios and all their people. Returns the ids of the
 * studios whose people changed.
 */
export async function syncStudiosPeople(tx: Tx, studios: readonly StudioPeople[], reserved: Iterable<string> = []): Promise<Set<string>> {
  const changed = new Set<string>();
  if (!studios.length) return changed;
  type Current = Prisma.PersonGetPayload<{ include: { honourLinks: { select: { text: true; honourKey: true } } } }>;
  const current = new Map<string, Current>();
  const byStudio = new Map<string, Current[]>();
  for (let i = 0; i < studios.length; i += 500) {
    const people = await tx.person.findMany({
      where: { studioId: { in: studios.slice(i, i + 500).map((s) => s.id) } },
      include: { honourLinks: { select: { text: true, honourKey: true } } },
    });
    for (const p of people) {
      current.set(`${p.studioId}/${p.name}`, p);
      const list = byStudio.get(p.studioId);
      if (list) list.push(p);
      else byStudio.set(p.studioId, [p]);
    }
  }
  const taken = await takenPersonSlugs(tx, reserved);
  const fresh: NewPerson[] = [];
  const changes: PersonChange[] = [];
  const gone: string[] = [];
  for (const s of studios) {
    const named = [
      { name: s.leader, role: "leader", sortOrder: 0, honours: s.leaderHonours.length ? s.leaderHonours : undefined },
      ...[...new Set(s.members)].filter((m) => m !== s.leader).map((name, i) => ({ name, role: "member", sortOrder: i + 1, honours: undefined })),
    ];
    for (const n of named) {
      const p = current.get(`${s.id}/${n.name}`);
      if (!p) {
        fresh.push({
          id: randomUUID(),
          slug: freeSlugIn(taken, n.name),
          name: n.name,
          studioId: s.id,
          role: n.role,
          title: null,
          sortOrder: n.sortOrder,
          honours: cleanList(n.honours ?? []),
          skills: [],
          bio: "",
          origin: "studio",
        });
        changed.add(s.id);
        continue;
      }
      // once a people/ file describes a person, it owns their role and honours
      const fileOwned = p.origin === "file";
      const row = {
        slug: p.slug === p.id || !p.slug ? freeSlugIn(taken, n.name) : p.slug,
        role: fileOwned ? p.role : n.role,
        title: p.title,
        honours: p.honours,
        skills: p.skills,
        bio: p.bio,
        origin: p.origin,
        sortOrder: n.sortOrder,
      };
      const rowChanged = row.slug !== p.slug || row.role !== p.role || row.sortOrder !== p.sortOrder;
      let honours: PersonChange["honours"] = null;
      const texts = fileOwned || !n.honours ? null : cleanList(n.honours);
      if (texts && (toList(texts) !== toList(parseList(p.honours)) || p.honourLinks.length !== texts.length)) {
        honours = { texts, held: new Map(p.honourLinks.filter((l) => l.honourKey).map((l) => [l.text, l.honourKey!])) };
        row.honours = toList(texts);
      }
      if (!rowChanged && !honours) continue;
      changes.push({ id: p.id, studioId: s.id, name: p.name, oldSlug: p.slug, row, rowChanged: true, honours, results: null });
      changed.add(s.id);
    }
    const names = new Set(named.map((n) => n.name));
    for (const p of byStudio.get(s.id) ?? []) {
      if (p.origin === "studio" && !names.has(p.name)) {
        gone.push(p.id);
        changed.add(s.id);
      }
    }
  }
  for (let i = 0; i < gone.length; i += 500) await removePeople(tx, gone.slice(i, i + 500));
  if (fresh.length) await insertPeople(tx, fresh);
  if (changes.length) await writePersonChanges(tx, changes, await listHonours(tx));
  for (const c of changes) if (c.oldSlug !== c.row.slug) await removeDocument(tx, `person:${c.oldSlug}`);
  return changed;
}

/**
 * Many people/ rows at once, each a person savePersonFile would create: the person, honours, result
 * links, search documents (theirs and their studios'), and a person.created Activity each. The slugs
 * must be new (the importer checked); a row naming someone its studio already has goes through
 * updatePeople, which updates that person. Returns each row's outcome, in order.
 */
export async function createPeople(tx: Tx, files: readonly ContentFile<PersonFront>[], actorId?: string | null): Promise<SaveOutcome[]> {
  const studios = new Map(
    (await tx.studio.findMany({ where: { slug: { in: [...new Set(files.map((f) => f.data.studio))] } }, select: { id: true, slug: true } })).map((s) => [s.slug, s.id]),
  );
  const known = new Set<string>();
  const studioIds = [...studios.values()];
  for (let i = 0; i < studioIds.length; i += 500) {
    for (const p of await tx.person.findMany({ where: { studioId: { in: studioIds.slice(i, i + 500) } }, select: { studioId: true, name: true } }))
      known.add(`${p.studioId}/${p.name}`);
  }
  const fresh = files.filter((f) => {
    const key = `${studios.get(f.data.studio)}/${f.data.name}`;
    if (known.has(key)) return false;
    known.add(key);
    return true;
  });
  const resultSlugs = [...new Set(fresh.flatMap((f) => f.data.results))];
  const results = new Map<string, { id: string; studioId: string }>();
  for (let i = 0; i < resultSlugs.length; i += 500) {
    for (const r of await tx.result.findMany({ where: { slug: { in: resultSlugs.slice(i, i + 500) } }, select: { id: true, slug: true, studioId: true } })) results.set(r.slug, r);
  }
  const people: NewPerson[] = fresh.map((f) => ({
    id: randomUUID(),
    slug: f.slug,
    name: f.data.name,
    studioId: studios.get(f.data.studio)!,
    role: f.data.role,
    title: f.data.title ?? null,
    sortOrder: 0,
    honours: cleanList(f.data.honours),
    skills: cleanList(f.data.skills),
    bio: f.bodyText.trim(),
    origin: "file",
  }));
  await insertPeople(tx, people);
  const links = people.flatMap((p, i) => [
    ...new Map(
      fresh[i].data.results
        .map((slug) => results.get(slug))
        .filter((r) => r?.studioId === p.studioId)
        .map((r) => [r!.id, { personId: p.id, resultId: r!.id }]),
    ).values(),
  ]);
  for (let i = 0; i < links.length; i += 500) await tx.personResult.createMany({ data: links.slice(i, i + 500) });
  await writeDocuments(
    tx,
    await buildPersonDocuments(
      tx,
      people.map((p) => p.slug),
    ),
  );
  await writeDocuments(
    tx,
    await buildStudioDocuments(
      tx,
      [...studios].filter(([, id]) => people.some((p) => p.studioId === id)).map(([slug]) => slug),
    ),
  );
  await recordActivities(
    tx,
    people.map((p) => ({ verb: "person.created", subjectType: "person", subjectId: p.id, studioId: p.studioId, actorId, summary: p.name })),
  );
  const freshSet = new Set(fresh);
  const named = files.filter((f) => !freshSet.has(f));
  const updated = named.length ? await updatePeople(tx, named, actorId) : [];
  const outcomes: SaveOutcome[] = [];
  let k = 0;
  for (const f of files) outcomes.push(freshSet.has(f) ? "created" : updated[k++]);
  return outcomes;
}

/** What a row changes on a person it names (a people/ row, or a studio row for its leader and members). */
interface PersonChange {
  id: string;
  studioId: string;
  name: string;
  oldSlug: string;
  /** the Person row's columns as they will be */
  row: { slug: string; role: string; title: string | null; honours: string; skills: string; bio: string; origin: string; sortOrder: number };
  rowChanged: boolean;
  /** the honours' texts, when they are to be replaced (setPersonHonours' rule), with the controlled keys already held */
  honours: { texts: string[]; held: Map<string, string> } | null;
  /** the result ids, when the links are to be replaced */
  results: string[] | null;
}

/**
 * Many people/ rows naming people their studios already have, each what savePersonFile writes for
 * it: role, title, skills, profile, the honours matched onto the list (a text already held keeps
 * its honour, even a retired one), result links of the same studio, the file's slug (the old
 * search document removed), the search documents of the person and their studio, and a
 * person.updated Activity. The people are read and written a slice of 500 at a time (Prisma costs
 * milliseconds a statement here; inside a transaction the Person rows are updated on its own
 * connection, app/utils/raw-sqlite.server.ts); a row that changes nothing writes nothing and is
 * "unchanged". References were checked by the importer (slugs free or the person's own). A row
 * naming nobody yet, or the same person as an earlier row, goes through savePersonFile after the
 * others. `onProgress` hears how many rows are done after each slice. Returns each row's outcome.
 */
export async function updatePeople(tx: Tx, files: readonly ContentFile<PersonFront>[], actorId?: string | null, onProgress?: (done: number) => void): Promise<SaveOutcome[]> {
  if (!files.length) return [];
  const outcomes: SaveOutcome[] = new Array<SaveOutcome>(files.length);
  const studios = new Map(
    (await tx.studio.findMany({ where: { slug: { in: [...new Set(files.map((f) => f.data.studio))] } }, select: { id: true, slug: true } })).map((s) => [s.slug, s.id]),
  );
  const honourList = await listHonours(tx);
  const later: number[] = []; // rows for savePersonFile, one by one after the bulk
  const seen = new Set<string>();
  const touchedStudios = new Set<string>();
  for (let start = 0; start < files.length; start += 500) {
    const slice = files.slice(start, start + 500);
    const studioIds = [...new Set(slice.map((f) => studios.get(f.data.studio)).filter((id): id is string => Boolean(id)))];
    const people = new Map(
      (
        await tx.person.findMany({
          where: { studioId: { in: studioIds }, name: { in: [...new Set(slice.map((f) => f.data.name))] } },
          include: { honourLinks: { select: { text: true, honourKey: true } }, resultLinks: { select: { resultId: true } } },
        })
      ).map((p) => [`${p.studioId}/${p.name}`, p]),
    );
    const resultSlugs = [...new Set(slice.flatMap((f) => f.data.results))];
    const results = new Map(
      resultSlugs.length ? (await tx.result.findMany({ where: { slug: { in: resultSlugs } }, select: { id: true, slug: true, studioId: true } })).map((r) => [r.slug, r]) : [],
    );
    const changes: PersonChange[] = [];
    slice.forEach((f, k) => {
      const i = start + k;
      const key = `${studios.get(f.data.studio)}/${f.data.name}`;
      const p = people.get(key);
      if (!p || seen.has(key)) return void later.push(i);
      seen.add(key);
      const row = {
        slug: f.slug,
        role: f.data.role,
        title: f.data.title ?? null,
        honours: p.honours,
        skills: toList(cleanList(f.data.skills)),
        bio: f.bodyText.trim(),
        // a person named by the studio file and described by a people/ file belongs to the file from then on
        origin: p.origin === "studio" ? "file" : p.origin,
        sortOrder: p.sortOrder,
      };
      const rowChanged = (Object.keys(row) as (keyof typeof row)[]).some((c) => row[c] !== p[c]);
      const texts = cleanList(f.data.honours);
      let honours: PersonChange["honours"] = null;
      if (toList(texts) !== toList(parseList(p.honours)) || p.honourLinks.length !== texts.length) {
        honours = { texts, held: new Map(p.honourLinks.filter((l) => l.honourKey).map((l) => [l.text, l.honourKey!])) };
        row.honours = toList(texts);
      }
      const want = [
        ...new Set(
          f.data.results
            .map((s) => results.get(s))
            .filter((r) => r?.studioId === p.studioId)
            .map((r) => r!.id),
        ),
      ].sort();
      const linked = p.resultLinks.map((l) => l.resultId).sort();
      const resultsChanged = toList(want) !== toList(linked);
      if (!rowChanged && !honours && !resultsChanged) return void (outcomes[i] = "unchanged");
      outcomes[i] = "updated";
      changes.push({
        id: p.id,
        studioId: p.studioId,
        name: p.name,
        oldSlug: p.slug,
        row,
        rowChanged: rowChanged || Boolean(honours),
        honours,
        results: resultsChanged ? want : null,
      });
    });
    await writePersonChanges(tx, changes, honourList);
    await writeDocuments(
      tx,
      await buildPersonDocuments(
        tx,
        changes.map((c) => c.row.slug),
      ),
    );
    for (const c of changes) if (c.oldSlug !== c.row.slug) await removeDocument(tx, `person:${c.oldSlug}`);
    for (const c of changes) touchedStudios.add(c.studioId);
    await recordActivities(
      tx,
      changes.map((c) => ({ verb: "person.updated", subjectType: "person", subjectId: c.id, studioId: c.studioId, actorId, summary: c.name })),
    );
    onProgress?.(Math.min(files.length, start + 500) - later.length);
  }
  // a studio's document lists its people's names and honours: written once, after every slice
  const studioSlugs = [...studios].filter(([, id]) => touchedStudios.has(id)).map(([slug]) => slug);
  await writeDocuments(tx, await buildStudioDocuments(tx, studioSlugs));
  for (const i of later) outcomes[i] = await savePersonFile(tx, files[i], actorId);
  onProgress?.(files.length);
  return outcomes;
}

/** The Person rows, honour links and result links of updatePeople's changes, in a few statements. */
async function writePersonChanges(tx: Tx, changes: readonly PersonChange[], honourList: Awaited<ReturnType<typeof listHonours>>) {
  const rows = changes.filter((c) => c.rowChanged);
  const sqlite = rawConnectionOf(tx);
  if (sqlite?.inTransaction) {
    const update = sqlite.prepare(`UPDATE "Person" SET "slug" = ?, "role" = ?, "title" = ?, "honours" = ?, "skills" = ?, "bio" = ?, "origin" = ?, "sortOrder" = ? WHERE "id" = ?`);
    for (const { id, row: r } of rows) update.run(r.slug, r.role, r.title, r.honours, r.skills, r.bio, r.origin, r.sortOrder, id);
  } else {
    for (const { id, row } of rows) await tx.person.update({ where: { id }, data: row });
  }
  const honours = changes.filter((c) => c.honours);
  if (honours.length) {
    await tx.personHonour.deleteMany({ where: { personId: { in: honours.map((c) => c.id) } } });
    const links = honours.flatMap((c) =>
      c.honours!.texts.map((text, k) => ({ personId: c.id, text, honourKey: c.honours!.held.get(text) ?? matchHonourIn(honourList, text)?.key ?? null, sortOrder: k })),
    );
    for (let k = 0; k < links.length; k += 500) await tx.personHonour.createMany({ data: links.slice(k, k + 500) });
  }
  const results = changes.filter((c) => c.results);
  if (results.length) {
    await tx.personResult.deleteMany({ where: { personId: { in: results.map((c) => c.id) } } });
    const links = results.flatMap((c) => c.results!.map((resultId) => ({ personId: c.id, resultId })));
    for (let k = 0; k < links.length; k += 500) await tx.personResult.createMany({ data: links.slice(k, k + 500) });
  }
}

// ── the studio admins' people editor (/studios/:slug/people) ──

const splitList = (v: unknown) =>
  typeof v === "string"
    ? v
        .split(/[\n,，、;；]+/)
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
const listField = (max: number) => z.preprocess(splitList, z.array(z.string().max(60, "people.edit.tooLong")).max(max, "form.tooMany"));

export const PersonEditSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("add"),
    name: z.string().trim().min(1, "people.edit.nameRequired").max(40, "people.edit.tooLong"),
    role: z.enum(["leader", "member"], "form.invalid"),
  }),
  z.object({ intent: z.literal("save"), person: z.string().min(1), honours: listField(20), skills: listField(30), bio: z.string().trim().max(1000, "people.edit.tooLong") }),
  z.object({ intent: z.literal("remove"), person: z.string().min(1) }),
]);
export type PersonEdit = z.output<typeof PersonEditSchema>;

/** A studio's people for its editor page, or null for an unknown studio. */
export async function studioPeopleForEditing(slug: string) {
  const studio = await db.studio.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      name: true,
      people: { orderBy: [{ sortOrder: "asc" }, { name: "asc" }], select: { id: true, slug: true, name: true, role: true, honours: true, skills: true, bio: true } },
    },
  });
  return studio && { ...studio, people: studio.people.map((p) => withLists(p, PERSON_LISTS)) };
}

/**
 * One edit of a studio's people by its admin (the route checks the admin with requireStudioAdmin):
 * "duplicate" when the name is taken in the studio, "not-found" for a person of another studio.
 */
export async function editStudioPeople(actorId: string, studioId: string, edit: PersonEdit): Promise<"done" | "duplicate" | "not-found"> {
  return db.$transaction(async (tx) => {
    const studio = await tx.studio.findUniqueOrThrow({ where: { id: studioId }, select: { slug: true } });
    if (edit.intent === "add") {
      if (await tx.person.findUnique({ where: { studioId_name: { studioId, name: edit.name } } })) return "duplicate";
      const max = await tx.person.aggregate({ where: { studioId }, _max: { sortOrder: true } });
      const { id } = await upsertPerson(tx, studioId, { name: edit.name, role: edit.role, sortOrder: (max._max.sortOrder ?? 0) + 1 }, "editor");
      const p = await tx.person.findUniqueOrThrow({ where: { id } });
      await indexRecord(tx, "person", p.slug);
      await indexRecord(tx, "studio", studio.slug);
      await recordActivity(tx, { verb: "person.created", subjectType: "person", subjectId: id, studioId, actorId, summary: p.name });
      return "done";
    }
    const p = await tx.person.findFirst({ where: { id: edit.person, studioId } });
    if (!p) return "not-found";
    if (edit.intent === "remove") {
      await removePeople(tx, [p.id]);
      await recordActivity(tx, { verb: "person.removed", subjectType: "person", subjectId: p.id, studioId, actorId, summary: p.name });
    } else {
      await upsertPerson(tx, studioId, { name: p.name, role: p.role, honours: edit.honours, skills: edit.skills, bio: edit.bio }, "editor");
      await indexRecord(tx, "person", p.slug);
      await recordActivity(tx, { verb: "person.updated", subjectType: "person", subjectId: p.id, studioId, actorId, summary: p.name });
    }
    await indexRecord(tx, "studio", studio.slug);
    return "done";
  });
}
