import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { issues, type ContentFile, type ContentSet, type Problem } from "~/content/load.server";
import { SLUG, type NeedFront, type PersonFront, type StudioFront } from "~/content/schema";
import { translator } from "~/i18n/locale.server";
import { MESSAGES, type Locale, type MessageKey } from "~/i18n/messages";
import { markdownToLexical } from "~/lexical/markdown.server";
import { bodyToText } from "~/lexical/text";
import { bodyToMarkdown } from "~/lexical/to-markdown";
import { isCoordinator } from "~/utils/auth.server";
import { MAX_SHEET_UPLOAD_BYTES } from "~/utils/body-limit.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { randomToken, type SessionUser } from "~/utils/session.server";
import { slugFromName } from "~/utils/slug.server";
import { recordActivity, type SaveOutcome } from "../common.server";
import { checkReferences } from "../content-import.server";
import { listIndustries } from "../industry.server";
import { createNeeds, needsForSheet, updateNeeds } from "../need.server";
import { createPeople, peopleForSheet, personSlugBase, updatePeople } from "../person.server";
import { createStudios, studiosForSheet, updateStudios } from "../studio.server";
import { COLUMNS, fromCell, IMPORT_NOUNS, needRaw, NOUN_SHEET, personRaw, SCHEMAS, studioRaw, type Column, type ImportNoun, type Raw, type SheetContext } from "./columns.server";
import { readXlsx, xlsxBuffer, type ReadSheet } from "./workbook.server";

// 表格导入: studios, people and needs from an .xlsx workbook, for coordinators and site admins.
// Every row is read into the front matter of a content file and validated by the same schemas and
// reference checks as `npm run content:import` (app/content/schema.ts, content-import.server.ts),
// then written through the same save functions. Any problem: all of them are listed as
// sheet · row · column: what is wrong, in the reader's language, and nothing is written. Otherwise
// the upload is kept under data/sheet-imports/ behind a token until the user confirms the preview;
// the confirmation checks it again and writes everything in one transaction with an Activity row.

/** the largest workbook accepted: the same number server.mjs limits the upload request to */
export const MAX_SHEET_BYTES = MAX_SHEET_UPLOAD_BYTES;
export const MAX_SHEET_ROWS = 20_000;
/** new records are written this many at a time (and the progress file rewritten after each slice) */
const BULK = 500;
/** how long an upload waits for its confirmation */
export const STAGED_MS = 60 * 60_000;

export interface SheetProblem {
  sheet: string;
  row: number;
  column: string;
  message: string;
}

export interface NounPreview {
  created: number;
  updated: number;
  unchanged: number;
  /** names of what will be created or updated, the first few */
  createdNames: string[];
  updatedNames: string[];
}
export type Preview = Record<ImportNoun, NounPreview>;

interface PlannedRow {
  noun: ImportNoun;
  slug: string;
  name: string;
  data: unknown;
  body: string;
  bodyText: string;
  outcome: SaveOutcome;
}

/** `newEnterprises`: enterprises the studios and needs rows name that the hub does not have yet — the confirmation creates them. */
type Checked = { ok: true; rows: PlannedRow[]; preview: Preview; newEnterprises: string[] } | { ok: false; error?: string; problems: SheetProblem[] };

export type StageOutcome =
  | { ok: true; token: string; name: string; rows: number; preview: Preview; newEnterprises: string[] }
  | { ok: false; status: 400 | 403 | 413 | 415; error?: string; problems: SheetProblem[] };

export type CommitOutcome =
  | { ok: true; counts: Preview; created: { noun: ImportNoun; slug: string; name: string }[] }
  | { ok: false; status: 400 | 403 | 404 | 410; error?: string; problems: SheetProblem[] };

type Tr = (key: MessageKey, vars?: Record<string, string | number>) => string;

const norm = (s: string) => s.trim().toLowerCase();
const inAnyLanguage = (key: MessageKey) => Object.values(MESSAGES).map((m) => norm(m[key]));
const EXAMPLE = inAnyLanguage("sheets.example");

// ── staging: the uploaded file between the preview and the confirmation ──

export function stagingDir() {
  return path.join(getEnv().dataDir, "sheet-imports");
}

const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;
interface Staged {
  userId: string;
  name: string;
  createdAt: number;
}
const stagedFile = (token: string, ext: "xlsx" | "json" | "progress") => path.join(stagingDir(), `${token}.${ext}`);

function readStaged(token: string): Staged | null {
  if (!TOKEN.test(token) || !existsSync(stagedFile(token, "json"))) return null;
  try {
    return JSON.parse(readFileSync(stagedFile(token, "json"), "utf8")) as Staged;
  } catch {
    return null;
  }
}

function dropStaged(token: string) {
  for (const ext of ["xlsx", "json", "progress"] as const) rmSync(stagedFile(token, ext), { force: true });
}

/** Uploads nobody confirmed within STAGED_MS are removed (at each new upload). */
function sweepStaged(now: number) {
  const dir = stagingDir();
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    const full = path.join(dir, f);
    if (now - statSync(full).mtimeMs > STAGED_MS) rmSync(full, { force: true });
  }
}

/** What kind of file the bytes are: an .xlsx (a ZIP), an old .xls (an OLE compound file), or something else. */
function sniff(bytes: Uint8Array): "xlsx" | "xls" | "other" {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return "xlsx";
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return "xls";
  return "other";
}

/**
 * Checks an uploaded workbook for `user`; when every row is right, keeps it for the confirmation
 * and returns its token and the preview. Nothing is written to the database here.
 */
export async function stageSheetImport(user: SessionUser, file: { name: string; bytes: Uint8Array }, locale: Locale, now = Date.now()): Promise<StageOutcome> {
  const t = translator(locale);
  if (!isCoordinator(user)) return { ok: false, status: 403, error: t("refused.coordinator"), problems: [] };
  if (!file.bytes.length) return { ok: false, status: 400, error: t("sheets.import.required"), problems: [] };
  if (file.bytes.length > MAX_SHEET_BYTES) return { ok: false, status: 413, error: t("sheets.import.tooLarge", { mb: MAX_SHEET_BYTES / 1024 / 1024 }), problems: [] };
  const kind = sniff(file.bytes);
  if (kind !== "xlsx") return { ok: false, status: 415, error: t(kind === "xls" ? "sheets.import.oldXls" : "sheets.import.notXlsx"), problems: [] };
  const checked = await checkWorkbook(file.bytes, locale);
  if (!checked.ok) return { ok: false, status: 400, error: checked.error, problems: checked.problems };
  sweepStaged(now);
  mkdirSync(stagingDir(), { recursive: true });
  const token = randomToken(24);
  const name = path.basename(file.name || "upload.xlsx").slice(0, 120);
  writeFileSync(stagedFile(token, "xlsx"), file.bytes);
  writeFileSync(stagedFile(token, "json"), JSON.stringify({ userId: user.id, name, createdAt: now } satisfies Staged));
  return { ok: true, token, name, rows: checked.rows.length, preview: checked.preview, newEnterprises: checked.newEnterprises };
}

/** The staged upload's file name and preview again (the page after a reload), for its owner only. */
export function stagedUpload(user: SessionUser, token: string, now = Date.now()) {
  const staged = readStaged(token);
  if (!staged || staged.userId !== user.id || now - staged.createdAt > STAGED_MS) return null;
  return { name: staged.name };
}

/** How far the confirmation of an upload has got: rows written of all, for the page's progress bar. */
export function importProgress(user: SessionUser, token: string): { done: number; total: number } | null {
  const staged = readStaged(token);
  if (!staged || staged.userId !== user.id || !existsSync(stagedFile(token, "progress"))) return null;
  try {
    return JSON.parse(readFileSync(stagedFile(token, "progress"), "utf8")) as { done: number; total: number };
  } catch {
    return null;
  }
}

export function discardSheetImport(user: SessionUser, token: string): boolean {
  const staged = readStaged(token);
  if (!staged || staged.userId !== user.id) return false;
  dropStaged(token);
  return true;
}

/**
 * Writes a staged upload: checked once more against the records as they are now (someone may have
 * changed them since the preview), then every row in one transaction, with one Activity row for
 * the import. The upload is gone afterwards; a second confirmation finds nothing.
 */
export async function commitSheetImport(user: SessionUser, token: string, locale: Locale, now = Date.now()): Promise<CommitOutcome> {
  const t = translator(locale);
  if (!isCoordinator(user)) return { ok: false, status: 403, error: t("refused.coordinator"), problems: [] };
  const staged = readStaged(token);
  if (!staged || staged.userId !== user.id || now - staged.createdAt > STAGED_MS || !existsSync(stagedFile(token, "xlsx"))) {
    if (staged && now - staged.createdAt > STAGED_MS) dropStaged(token);
    return { ok: false, status: 410, error: t("sheets.import.expired"), problems: [] };
  }
  const checked = await checkWorkbook(readFileSync(stagedFile(token, "xlsx")), locale);
  if (!checked.ok) return { ok: false, status: 400, error: checked.error, problems: checked.problems };

  const counts = emptyPreview();
  const writing = checked.rows.filter((r) => r.outcome !== "unchanged");
  const progress = (done: number) => writeFileSync(stagedFile(token, "progress"), JSON.stringify({ done, total: writing.length }));
  progress(0);
  let done = 0;
  await db.$transaction(
    async (tx) => {
      // new records, the bulk of a big ledger, go in a few statements per 500 rows (createStudios,
      // createPeople, createNeeds), and so do changed studios, people and needs (updateStudios,
      // updatePeople, updateNeeds)
      const fresh = (noun: ImportNoun) => checked.rows.filter((r) => r.noun === noun && r.outcome === "created");
      const [newStudios, newPeople, newNeeds] = [fresh("studios"), fresh("people"), fresh("needs")];
      const input = (r: PlannedRow) => ({ slug: r.slug, body: r.body, bodyText: r.bodyText });
      const count = (r: PlannedRow, outcome: SaveOutcome) => {
        counts[r.noun][outcome]++;
        if (outcome !== "unchanged") counts[r.noun][outcome === "created" ? "createdNames" : "updatedNames"].push(r.name);
        if (++done % 100 === 0) progress(done);
      };
      // (in slices of BULK rows, so that the progress bar moves during a big import)
      for (let i = 0; i < newStudios.length; i += BULK) {
        const slice = newStudios.slice(i, i + BULK);
        await createStudios(
          tx,
          slice.map((r) => ({ ...input(r), data: r.data as StudioFront })),
          user.id,
          checked.rows.filter((r) => r.noun === "people").map((r) => r.slug),
        );
        for (const r of slice) count(r, "created");
      }
      for (const r of checked.rows) if (r.outcome === "unchanged") counts[r.noun].unchanged++;
      // changed studios, people and needs in bulk too (read, compared and written a slice at a time by their models)
      const changed = (noun: ImportNoun) => checked.rows.filter((r) => r.noun === noun && r.outcome === "updated");
      const changedStudios = changed("studios");
      let base = done;
      const studioOutcomes = await updateStudios(
        tx,
        changedStudios.map((r) => ({ ...input(r), data: r.data as StudioFront })),
        user.id,
        (n) => progress(base + n),
        checked.rows.filter((r) => r.noun === "people").map((r) => r.slug),
      );
      changedStudios.forEach((r, k) => count(r, studioOutcomes[k]));
      for (let i = 0; i < newPeople.length; i += BULK) {
        const slice = newPeople.slice(i, i + BULK);
        const outcomes = await createPeople(
          tx,
          slice.map((r) => ({ ...input(r), file: "", data: r.data as PersonFront })),
          user.id,
        );
        slice.forEach((r, k) => count(r, outcomes[k]));
      }
      const changedPeople = changed("people");
      base = done;
      const outcomes = await updatePeople(
        tx,
        changedPeople.map((r) => ({ ...input(r), file: "", data: r.data as PersonFront })),
        user.id,
        (n) => progress(base + n),
      );
      changedPeople.forEach((r, k) => count(r, outcomes[k]));
      const changedNeeds = changed("needs");
      base = done;
      const needOutcomes = await updateNeeds(
        tx,
        changedNeeds.map((r) => ({ ...input(r), data: r.data as NeedFront })),
        user.id,
        (n) => progress(base + n),
      );
      changedNeeds.forEach((r, k) => count(r, needOutcomes[k]));
      for (let i = 0; i < newNeeds.length; i += BULK) {
        const slice = newNeeds.slice(i, i + BULK);
        await createNeeds(
          tx,
          slice.map((r) => ({ ...input(r), data: r.data as NeedFront })),
          user.id,
        );
        for (const r of slice) count(r, "created");
      }
      progress(writing.length);
      const summary = IMPORT_NOUNS.map((n) => `${t(NOUN_SHEET[n])} ${counts[n].created}/${counts[n].updated}/${counts[n].unchanged}`).join("；");
      await recordActivity(tx, {
        verb: "sheet.imported",
        subjectType: "sheet",
        subjectId: token,
        actorId: user.id,
        summary: `${staged.name}：${summary}`.slice(0, 300),
        after: JSON.stringify(Object.fromEntries(IMPORT_NOUNS.map((n) => [n, { created: counts[n].created, updated: counts[n].updated, unchanged: counts[n].unchanged }]))),
      });
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
  dropStaged(token);
  const created = checked.rows.filter((r) => r.outcome === "created").map((r) => ({ noun: r.noun, slug: r.slug, name: r.name }));
  return { ok: true, counts, created };
}

const emptyPreview = (): Preview =>
  Object.fromEntries(IMPORT_NOUNS.map((n) => [n, { created: 0, updated: 0, unchanged: 0, createdNames: [], updatedNames: [] }])) as unknown as Preview;

// ── reading and checking a workbook ──

interface SheetRow {
  noun: ImportNoun;
  sheet: string;
  row: number;
  /** the header of each column as the sheet spells it */
  headers: Map<string, string>;
  slug: string;
  raw: Raw;
  data: unknown;
  body: string;
  bodyText: string;
  existing: Raw | null;
  existingBody: { json: string; text: string } | null;
  bodySame: boolean;
}

/** Reads and checks a workbook against the database; writes nothing. */
export async function checkWorkbook(bytes: Uint8Array, locale: Locale): Promise<Checked> {
  const t = translator(locale);
  const read = await readXlsx(bytes, MAX_SHEET_ROWS);
  if (!read.ok) return { ok: false, error: read.reason === "unreadable" ? t("sheets.import.unreadable") : t("sheets.import.tooManyRows", { max: MAX_SHEET_ROWS }), problems: [] };
  const bySheet = new Map<ImportNoun, ReadSheet>();
  for (const s of read.sheets) {
    const noun = IMPORT_NOUNS.find((n) => inAnyLanguage(NOUN_SHEET[n]).includes(norm(s.name)));
    if (noun && !bySheet.has(noun)) bySheet.set(noun, s);
  }
  if (!bySheet.size) return { ok: false, error: t("sheets.import.noSheets", { names: IMPORT_NOUNS.map((n) => t(NOUN_SHEET[n])).join(t("sheets.listSep")) }), problems: [] };

  const [industries, studios, people, needs] = await Promise.all([
    listIndustries(),
    studiosForSheet(),
    peopleForSheet({ everyStudio: true, studioIds: new Set(), ownStudioIds: new Set() }),
    needsForSheet(),
  ]);
  const ctx: SheetContext & { studioSlugs: Map<string, string[]> } = {
    locale,
    industries,
    studioNames: new Map(studios.map((s) => [s.slug, s.name])),
    studioSlugs: new Map(),
  };
  const addStudioName = (name: string, slug: string) => ctx.studioSlugs.set(name, [...new Set([...(ctx.studioSlugs.get(name) ?? []), slug])]);
  for (const s of studios) addStudioName(s.name, s.slug);

  const existing = {
    studios: new Map(studios.map((s) => [s.slug, { raw: studioRaw({ ...s, bodyMarkdown: bodyToMarkdown(s.body) }), body: { json: s.body, text: s.bodyText } }])),
    people: new Map(people.map((p) => [p.slug, { raw: personRaw({ ...p, results: p.resultLinks.map((l) => l.result.slug) }), body: { json: "", text: p.bio } }])),
    needs: new Map(needs.map((n) => [n.slug, { raw: needRaw({ ...n, bodyMarkdown: bodyToMarkdown(n.body) }), body: { json: n.body, text: n.bodyText } }])),
  };
  const personByName = new Map(people.map((p) => [`${p.studio.slug}/${p.name}`, p.slug]));
  const needByTitle = new Map(needs.map((n) => [`${n.enterprise.name}/${n.title}`, n.slug]));
  const studioByName = new Map(studios.map((s) => [s.name, s.slug]));
  const taken = { studios: new Set(existing.studios.keys()), people: new Set(existing.people.keys()), needs: new Set(existing.needs.keys()) };

  const problems: SheetProblem[] = [];
  const rows: SheetRow[] = [];
  for (const noun of IMPORT_NOUNS) {
    const sheet = bySheet.get(noun);
    if (!sheet) continue;
    const columns = COLUMNS[noun];
    const at = new Map<string, number>(); // column id → index in the sheet
    const headers = new Map<string, string>();
    sheet.header.forEach((h, i) => {
      if (!h) return;
      const col = columns.find((c) => inAnyLanguage(c.header).includes(norm(h)));
      if (!col) problems.push({ sheet: sheet.name, row: 1, column: h, message: t("sheets.problem.unknownColumn") });
      else if (!col.readOnly && !at.has(col.id)) {
        at.set(col.id, i);
        headers.set(col.id, h);
      }
    });
    const importable = columns.filter((c) => !c.readOnly);
    for (const c of importable) if (c.required && !at.has(c.id)) problems.push({ sheet: sheet.name, row: 1, column: t(c.header), message: t("sheets.problem.missingColumn") });
    if (importable.some((c) => c.required && !at.has(c.id))) continue;

    const seen = new Map<string, number>();
    for (const { row, cells } of sheet.rows) {
      const cell = (id: string) => (at.has(id) ? (cells[at.get(id)!] ?? "") : "");
      const typedSlug = cell("slug").trim();
      if (EXAMPLE.includes(norm(typedSlug))) continue; // the template's example row
      const problem = (col: Column | string, message: string) =>
        problems.push({ sheet: sheet.name, row, column: typeof col === "string" ? col : (headers.get(col.id) ?? t(col.header)), message });

      const raw: Raw = {};
      for (const c of importable) if (c.kind !== "slug" && c.kind !== "body" && at.has(c.id)) raw[c.id] = fromCell(c, cell(c.id), ctx);
      // the row's record: by its slug, or by its name when the slug is left empty
      const name = String(raw[noun === "needs" ? "title" : "name"] ?? "");
      let slug = typedSlug;
      if (!slug) {
        const known =
          noun === "studios"
            ? studioByName.get(name)
            : noun === "people"
              ? personByName.get(`${String(raw.studio ?? "")}/${name}`)
              : needByTitle.get(`${String(raw.enterprise ?? "")}/${name}`);
        slug = known ?? (name ? freeSlug(noun === "people" ? personSlugBase(name) : slugFromName(name), taken[noun]) : "");
      } else if (!SLUG.test(slug)) {
        problem(columns[0], t("sheets.problem.slug"));
        continue;
      }
      if (slug) {
        const before = seen.get(slug);
        if (before) problem(columns[0], t("sheets.problem.duplicate", { row: before }));
        seen.set(slug, row);
        taken[noun].add(slug);
      }
      if (noun === "studios" && name && slug) addStudioName(name, slug);
      const current = slug ? (existing[noun].get(slug) ?? null) : null;
      // a column left out of the sheet keeps the record's value (a new record gets the default)
      for (const c of importable) if (c.kind !== "slug" && c.kind !== "body" && !at.has(c.id) && current) raw[c.id] = current.raw[c.id];

      const studioCell = noun === "people" ? cell("studio").trim() : "";
      if (studioCell && (ctx.studioSlugs.get(studioCell)?.length ?? 0) > 1 && !ctx.studioNames.has(studioCell)) {
        problem(
          columns.find((c) => c.id === "studio")!,
          t("sheets.problem.ambiguousStudio", { value: studioCell }),
        );
        continue;
      }
      const parsed = SCHEMAS[noun].safeParse(raw);
      if (!parsed.success) for (const p of issues("", parsed.error, raw)) problem(columnOf(columns, p.field), issueMessage(columnOf(columns, p.field), p, raw, t));

      const bodyCol = columns.find((c) => c.kind === "body")!;
      const bodyCell = at.has("body") ? cell("body").replace(/\r\n?/g, "\n").trim() : current ? String(current.raw.body) : "";
      const bodySame = Boolean(current) && bodyCell === String(current!.raw.body ?? "").trim();
      let body = "";
      let bodyText = "";
      if (bodySame) {
        body = current!.body.json;
        bodyText = current!.body.text;
      } else if (!bodyCell) {
        if (bodyCol.required) problem(bodyCol, t("sheets.problem.required"));
      } else {
        const converted = convertBody(bodyCell);
        if (!converted.ok) problem(bodyCol, converted.message.startsWith("raw HTML") ? t("sheets.problem.html") : t("sheets.problem.other", { message: converted.message }));
        else {
          body = converted.json;
          bodyText = bodyToText(converted.state);
        }
      }
      if (!parsed.success || !slug) continue;
      rows.push({
        noun,
        sheet: sheet.name,
        row,
        headers,
        slug,
        raw,
        data: parsed.data,
        body,
        bodyText,
        existing: current?.raw ?? null,
        existingBody: current?.body ?? null,
        bodySame,
      });
    }
  }

  // references (industries, studios, a person's results), by the content importer's own checks
  const file = (r: SheetRow) => `${rows.indexOf(r)}`;
  const set: ContentSet = {
    dir: "",
    industries: null,
    studios: rows.filter((r) => r.noun === "studios").map((r) => contentFile<StudioFront>(r, file(r))),
    results: [],
    patents: [],
    needs: rows.filter((r) => r.noun === "needs").map((r) => contentFile<NeedFront>(r, file(r))),
    people: rows.filter((r) => r.noun === "people").map((r) => contentFile<PersonFront>(r, file(r))),
    problems: [],
  };
  for (const p of await checkReferences(db, set)) {
    const r = rows[Number(p.file)];
    const col = columnOf(COLUMNS[r.noun], p.field);
    const message = p.code === "duplicate" ? t("sheets.problem.duplicate", { row: rows[Number(p.value)]?.row ?? 0 }) : referenceMessage(p, t);
    problems.push({ sheet: r.sheet, row: r.row, column: r.headers.get(col.id) ?? t(col.header), message });
  }
  if (problems.length)
    return {
      ok: false,
      problems: problems.sort((a, b) => IMPORT_NOUNS.indexOf(nounOfSheet(a.sheet, bySheet)) - IMPORT_NOUNS.indexOf(nounOfSheet(b.sheet, bySheet)) || a.row - b.row),
    };

  const preview = emptyPreview();
  const planned = rows.map((r): PlannedRow => {
    const outcome: SaveOutcome = !r.existing ? "created" : r.bodySame && sameData(r.noun, r.data, r.existing) ? "unchanged" : "updated";
    const name = String((r.data as { name?: string; title?: string }).name ?? (r.data as { title?: string }).title ?? r.slug);
    preview[r.noun][outcome]++;
    if (outcome !== "unchanged") preview[r.noun][outcome === "created" ? "createdNames" : "updatedNames"].push(name);
    return { noun: r.noun, slug: r.slug, name, data: r.data, body: r.body, bodyText: r.bodyText, outcome };
  });
  // a name nobody has typed before becomes a public enterprise: the preview says so before it happens
  const named = [
    ...new Set(
      rows
        .filter((r) => r.noun === "studios" || r.noun === "needs")
        .map((r) => String((r.data as { enterprise?: unknown }).enterprise ?? "").trim())
        .filter(Boolean),
    ),
  ];
  const known = new Set<string>();
  for (let i = 0; i < named.length; i += 500)
    for (const e of await db.enterprise.findMany({ where: { name: { in: named.slice(i, i + 500) } }, select: { name: true } })) known.add(e.name);
  return { ok: true, rows: planned, preview, newEnterprises: named.filter((n) => !known.has(n)) };
}

// The confirmation checks the workbook again; the bodies it converted for the preview are kept
// (in this process, a bounded number) so that the second check does not convert them again.
const converted = new Map<string, ReturnType<typeof markdownToLexical>>();
function convertBody(markdown: string) {
  const hit = converted.get(markdown);
  if (hit) return hit;
  const out = markdownToLexical(markdown);
  if (converted.size >= 50_000) converted.clear();
  converted.set(markdown, out);
  return out;
}

function nounOfSheet(name: string, bySheet: Map<ImportNoun, ReadSheet>): ImportNoun {
  return [...bySheet].find(([, s]) => s.name === name)?.[0] ?? "studios";
}

const contentFile = <T>(r: SheetRow, file: string): ContentFile<T> => ({ file, slug: r.slug, data: r.data as T, body: r.body, bodyText: r.bodyText });

/** A slug from a name that no record (or earlier row) holds: base, base-2, base-3 … */
function freeSlug(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** A row is unchanged when, read by the schema, it equals what the export writes for the record. */
function sameData(noun: ImportNoun, data: unknown, existing: Raw): boolean {
  const stored = SCHEMAS[noun].safeParse(Object.fromEntries(Object.entries(existing).filter(([k]) => k !== "slug" && k !== "body")));
  return stored.success && stable(stored.data) === stable(data);
}

const stable = (v: unknown): string =>
  JSON.stringify(v, (_, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x,
  );

/** The column a schema field (`industry`, `results[2]`) belongs to. */
function columnOf(columns: Column[], field: string): Column {
  const id = field.replace(/\[.*$/, "").split(".")[0];
  return columns.find((c) => c.id === id) ?? columns[0];
}

/** A schema problem in the reader's words, from the kind of the issue and of the column. */
function issueMessage(col: Column, p: Problem, raw: Raw, t: Tr): string {
  const value = raw[col.id];
  if (p.message === "is required" || value === undefined) return t("sheets.problem.required");
  const m = p.message;
  const number = (re: RegExp) => Number(re.exec(m)?.[1] ?? 0);
  if (col.kind === "year") return t("sheets.problem.year", { min: 1949, max: 2100 });
  if (col.kind === "bool") return t("sheets.problem.yesNo");
  if (col.kind === "enum") return t("sheets.problem.oneOf", { values: col.values!.map((v) => t(col.label!(v))).join(t("sheets.listSep")) });
  if (col.kind === "industry") return t("sheets.problem.unknownIndustry", { value: String(value) });
  if (col.kind === "studio") return t("sheets.problem.unknownStudio", { value: String(value) });
  if (col.kind === "slugs") return t("sheets.problem.unknownResult", { value: p.field.includes("[") ? String((value as string[])[number(/\[(\d+)\]/)] ?? "") : String(value) });
  if (/must not be empty/.test(m)) return t("sheets.problem.empty");
  if (/must be at most (\d+) characters/.test(m)) return t("sheets.problem.tooLong", { max: number(/at most (\d+)/) });
  if (/must have at most (\d+) entries/.test(m)) return t("sheets.problem.tooMany", { max: number(/at most (\d+)/) });
  if (/at least one/.test(m)) return t("sheets.problem.tooFew", { min: 1 });
  if (/control characters/.test(m)) return t("sheets.problem.controlChars");
  return t("sheets.problem.other", { message: m });
}

function referenceMessage(p: Problem, t: Tr): string {
  const value = p.value ?? "";
  switch (p.code) {
    case "unknownIndustry":
      return t("sheets.problem.unknownIndustry", { value });
    case "unknownStudio":
      return t("sheets.problem.unknownStudio", { value });
    case "unknownResult":
      return t("sheets.problem.unknownResult", { value });
    case "otherStudioResult":
      return t("sheets.problem.otherStudioResult", { value });
    case "slugTaken":
      return t("sheets.problem.slugTaken", { value });
    default:
      return t("sheets.problem.other", { message: p.message });
  }
}

// ── the template ──

const EXAMPLES: Record<ImportNoun, (industry: string) => Record<string, string | number>> = {
  studios: (industry) => ({
    slug: "示例",
    name: "郑州示例机械厂数控维修创新工作室",
    enterprise: "郑州示例机械有限公司",
    leader: "张建国",
    leader_honours: "河南省劳动模范",
    members: "李明、王芳",
    level: "市级",
    industry,
    sector: "传统产业",
    specialties: "数控机床维修、液压系统诊断",
    founded: 2018,
    honours: "郑州市示范性劳模创新工作室",
    needs: "工业机器人编程",
    illustrative: "否",
    body: "工作室围绕数控机床故障诊断开展技术攻关。\n\n- 年均解决设备难题 20 余项\n- 培养高级技师 6 名",
  }),
  people: () => ({
    slug: "示例",
    name: "李明",
    studio: "郑州示例机械厂数控维修创新工作室",
    role: "成员",
    title: "高级技师",
    honours: "郑州市技术能手",
    skills: "数控维修、PLC 编程",
    results: "",
    body: "从事数控设备维修 15 年，擅长液压与电气联合诊断。",
  }),
  needs: (industry) => ({
    slug: "示例",
    title: "装配线节拍优化",
    enterprise: "郑州示例机械有限公司",
    industry,
    tags: "精益生产、工艺优化",
    status: "待配送",
    illustrative: "否",
    body: "总装线节拍不稳定，希望有工艺优化经验的工作室上门诊断。",
  }),
};

/**
 * The import template: one sheet per noun with Chinese headers and an example row (slug 示例,
 * skipped on import), and a notes sheet describing each column and the values it accepts.
 */
export async function sheetTemplate(): Promise<Buffer> {
  const t = translator("zh-CN");
  const industries = await listIndustries();
  const industry = industries[0]?.nameZh ?? "";
  const tables = IMPORT_NOUNS.map((noun) => {
    const cols = COLUMNS[noun].filter((c) => !c.readOnly);
    const example = EXAMPLES[noun](industry);
    return { name: t(NOUN_SHEET[noun]), columns: cols.map((c) => ({ header: t(c.header), width: c.width })), rows: [cols.map((c) => example[c.id] ?? "")] };
  });
  const noteRows = IMPORT_NOUNS.flatMap((noun) =>
    COLUMNS[noun]
      .filter((c) => !c.readOnly)
      .map((c) => [
        t(NOUN_SHEET[noun]),
        t(c.header),
        c.required ? t("sheets.notes.yes") : "",
        columnNote(
          c,
          t,
          industries.map((i) => i.nameZh),
        ),
      ]),
  );
  const notes = {
    name: t("sheets.sheet.notes"),
    columns: [
      { header: t("sheets.import.sheet"), width: 10 },
      { header: t("sheets.notes.column"), width: 16 },
      { header: t("sheets.notes.required"), width: 8 },
      { header: t("sheets.notes.values"), width: 90 },
    ],
    rows: noteRows,
  };
  return xlsxBuffer([...tables, notes], (wb) => {
    const ws = wb.getWorksheet(t("sheets.sheet.notes"))!;
    ws.spliceRows(1, 0, [t("sheets.notes.intro")], [t("sheets.notes.update")], []);
    ws.views = [{ state: "frozen", ySplit: 4 }];
    ws.getRow(4).font = { bold: true };
    for (const sheet of wb.worksheets.slice(0, IMPORT_NOUNS.length)) sheet.getRow(2).font = { italic: true, color: { argb: "FF7A7A7A" } };
  });
}

function columnNote(c: Column, t: Tr, industries: string[]): string {
  switch (c.kind) {
    case "slug":
      return t(c.note ?? "sheets.notes.key");
    case "text":
      return t("sheets.notes.text", { max: c.max ?? 200 });
    case "list":
      return t(c.required ? "sheets.notes.listMin" : "sheets.notes.list");
    case "enum":
      return t("sheets.notes.values.list", { values: c.values!.map((v) => t(c.label!(v))).join("、") });
    case "industry":
      return t("sheets.notes.industry", { values: industries.join("、") });
    case "year":
      return t("sheets.notes.year");
    case "bool":
      return t("sheets.notes.bool");
    case "body":
      return t(c.note ?? "sheets.notes.body");
    case "studio":
      return t("sheets.notes.studioRef");
    case "slugs":
      return t("sheets.notes.results");
    default:
      return t("sheets.notes.readOnly");
  }
}
