import type { MessageKey } from "~/i18n/messages";
import { db } from "~/utils/db.server";
import type { SessionUser } from "~/utils/session.server";
import { logSynonymsChange } from "./search/sync.server";
import { normalize } from "../../search/segment";
import { parseStoredWords, shippedSynonymGroups } from "../../search/synonyms";
import { recordActivity } from "./common.server";

// Synonym groups (同义词组) a site admin keeps at /admin/search, on top of the shipped defaults in
// search/synonyms.yaml. The only write path: every change checks the site-admin role, writes the
// group, its activity row and the search change log (embedded engines reload, Meilisearch gets
// the `synonyms` setting through the outbox) in one transaction.

export const MAX_GROUPS = 500;
export const MAX_WORDS = 20;
export const MAX_WORD_LENGTH = 40;
const MAX_INPUT = 2000;

export interface SynonymGroupView {
  id: string;
  words: string[];
  updatedAt: string;
}

/** What is wrong with the typed words: a message key, and the word it is about when there is one. */
export interface WordsProblem {
  key: MessageKey;
  word?: string;
}

export type SynonymOutcome =
  { ok: true; group: SynonymGroupView | null } | { ok: false; reason: "forbidden" } | { ok: false; reason: "not-found" } | { ok: false; reason: "invalid"; problem: WordsProblem };

export const canEditSynonyms = (user: Pick<SessionUser, "role"> | null) => user?.role === "admin";

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u2060\ufeff]/;

/**
 * The words of one group as typed in the form: separated by commas (，,), 、, semicolons or new
 * lines; when there are none of those, by spaces — so "检漏 泄漏检测" is two words, and
 * "machine vision, 机器视觉" keeps its two-word English phrase.
 */
export function parseSynonymWords(text: string): { ok: true; words: string[] } | { ok: false; problem: WordsProblem } {
  if (text.length > MAX_INPUT) return { ok: false, problem: { key: "synonyms.error.tooManyWords" } };
  const strong = /[,，、;；\n\r]/;
  const pieces = (strong.test(text) ? text.split(/[,，、;；\n\r]+/) : text.split(/[\s\u3000]+/)).map((w) => w.replace(/[\s\u3000]+/g, " ").trim()).filter(Boolean);
  if (!pieces.length) return { ok: false, problem: { key: "synonyms.error.empty" } };
  const control = pieces.find((w) => CONTROL.test(w));
  if (control !== undefined) return { ok: false, problem: { key: "synonyms.error.control", word: control.replace(new RegExp(CONTROL.source, "g"), "�") } };
  const long = pieces.find((w) => [...w].length > MAX_WORD_LENGTH);
  if (long) return { ok: false, problem: { key: "synonyms.error.tooLong", word: `${[...long].slice(0, 12).join("")}…` } };
  const seen = new Map<string, string>();
  for (const w of pieces) {
    const key = normalize(w);
    if (seen.has(key)) return { ok: false, problem: { key: "synonyms.error.duplicate", word: w } };
    seen.set(key, w);
  }
  if (pieces.length === 1) return { ok: false, problem: { key: "synonyms.error.oneWord", word: pieces[0] } };
  if (pieces.length > MAX_WORDS) return { ok: false, problem: { key: "synonyms.error.tooManyWords" } };
  return { ok: true, words: pieces };
}

const view = (g: { id: string; words: string; updatedAt: Date }): SynonymGroupView => ({ id: g.id, words: parseStoredWords(g.words), updatedAt: g.updatedAt.toISOString() });

/** The shipped groups (search/synonyms.yaml): shown, not editable on the site. */
export function listShippedSynonymGroups(): string[][] {
  return shippedSynonymGroups();
}

/** The site's groups, oldest first; null for anyone but a site admin. */
export async function listSynonymGroups(user: SessionUser | null): Promise<SynonymGroupView[] | null> {
  if (!canEditSynonyms(user)) return null;
  const rows = await db.synonymGroup.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(view);
}

/** The latest synonym changes from the activity log, newest first; null for anyone but a site admin. */
export async function recentSynonymChanges(user: SessionUser | null, take = 10) {
  if (!canEditSynonyms(user)) return null;
  const rows = await db.activity.findMany({
    where: { subjectType: "synonymGroup" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { actor: { select: { name: true } } },
  });
  return rows.map((a) => ({ id: a.id, verb: a.verb, summary: a.summary, by: a.actor?.name ?? null, at: a.createdAt.toISOString() }));
}

export async function createSynonymGroup(user: SessionUser, text: string): Promise<SynonymOutcome> {
  if (!canEditSynonyms(user)) return { ok: false, reason: "forbidden" };
  const parsed = parseSynonymWords(text);
  if (!parsed.ok) return { ok: false, reason: "invalid", problem: parsed.problem };
  return db.$transaction(async (tx) => {
    // counted inside the transaction: SQLite serialises writers, so two admins cannot both add the 501st
    if ((await tx.synonymGroup.count()) >= MAX_GROUPS) return { ok: false as const, reason: "invalid" as const, problem: { key: "synonyms.error.tooManyGroups" as const } };
    const g = await tx.synonymGroup.create({ data: { words: JSON.stringify(parsed.words), createdById: user.id } });
    await recordActivity(tx, { verb: "synonyms.created", subjectType: "synonymGroup", subjectId: g.id, actorId: user.id, summary: parsed.words.join(" / ") });
    await logSynonymsChange(tx);
    return { ok: true as const, group: view(g) };
  });
}

export async function updateSynonymGroup(user: SessionUser, id: string, text: string): Promise<SynonymOutcome> {
  if (!canEditSynonyms(user)) return { ok: false, reason: "forbidden" };
  const parsed = parseSynonymWords(text);
  if (!parsed.ok) return { ok: false, reason: "invalid", problem: parsed.problem };
  return db.$transaction(async (tx) => {
    const before = await tx.synonymGroup.findUnique({ where: { id } });
    if (!before) return { ok: false as const, reason: "not-found" as const };
    const old = parseStoredWords(before.words);
    if (JSON.stringify(old) === JSON.stringify(parsed.words)) return { ok: true as const, group: view(before) };
    const g = await tx.synonymGroup.update({ where: { id }, data: { words: JSON.stringify(parsed.words) } });
    await recordActivity(tx, {
      verb: "synonyms.updated",
      subjectType: "synonymGroup",
      subjectId: id,
      actorId: user.id,
      summary: `${old.join(" / ")} → ${parsed.words.join(" / ")}`,
    });
    await logSynonymsChange(tx);
    return { ok: true as const, group: view(g) };
  });
}

export async function deleteSynonymGroup(user: SessionUser, id: string): Promise<SynonymOutcome> {
  if (!canEditSynonyms(user)) return { ok: false, reason: "forbidden" };
  return db.$transaction(async (tx) => {
    const before = await tx.synonymGroup.findUnique({ where: { id } });
    if (!before) return { ok: false as const, reason: "not-found" as const };
    await tx.synonymGroup.delete({ where: { id } });
    await recordActivity(tx, { verb: "synonyms.deleted", subjectType: "synonymGroup", subjectId: id, actorId: user.id, summary: parseStoredWords(before.words).join(" / ") });
    await logSynonymsChange(tx);
    return { ok: true as const, group: null };
  });
}
