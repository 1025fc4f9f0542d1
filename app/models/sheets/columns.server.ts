import type { z } from "zod";
import { LEVELS, NEED_PATH, NeedSchema, PersonSchema, SECTORS, StudioSchema } from "~/content/schema";
import { MESSAGES, type Locale, type MessageKey } from "~/i18n/messages";
import { parseList } from "~/utils/json";
import type { ImportNoun } from "./nouns";

// The columns of the spreadsheets that can be imported (studios, people, needs): one list per noun
// that the export, the template, the notes sheet and the importer all derive from. A column's id is
// the content front-matter field it fills (app/content/schema.ts), so a row is validated by the very
// schema a content file is; `slug` and `body` are the file's name and Markdown body.

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;
export type CellValue = string | number | null;

export type ColumnKind = "slug" | "text" | "list" | "enum" | "industry" | "year" | "bool" | "body" | "studio" | "slugs" | "count" | "date";

export interface Column {
  id: string;
  header: MessageKey;
  kind: ColumnKind;
  required?: boolean;
  /** most characters (text) — for the notes sheet */
  max?: number;
  /** enumerations: the stored values and the message key of each one's label */
  values?: readonly string[];
  label?: (value: string) => MessageKey;
  /** in exports for reading; ignored by the importer */
  readOnly?: boolean;
  note?: MessageKey;
  width?: number;
}

export { IMPORT_NOUNS, NOUN_SHEET, type ImportNoun } from "./nouns";

export const SCHEMAS: Record<ImportNoun, z.ZodType> = { studios: StudioSchema, people: PersonSchema, needs: NeedSchema };

const slug = (note: MessageKey = "sheets.notes.key"): Column => ({ id: "slug", header: "sheets.col.slug", kind: "slug", note, width: 24 });
const illustrative: Column = { id: "illustrative", header: "sheets.col.illustrative", kind: "bool", width: 10 };

export const COLUMNS: Record<ImportNoun, Column[]> = {
  studios: [
    slug(),
    { id: "name", header: "sheets.col.studioName", kind: "text", required: true, max: 100, width: 30 },
    { id: "enterprise", header: "sheets.col.enterprise", kind: "text", required: true, max: 100, width: 28 },
    { id: "leader", header: "sheets.col.leader", kind: "text", required: true, max: 40, width: 10 },
    { id: "leader_honours", header: "sheets.col.leaderHonours", kind: "list", width: 28 },
    { id: "members", header: "sheets.col.members", kind: "list", width: 24 },
    { id: "level", header: "sheets.col.level", kind: "enum", required: true, values: LEVELS, label: (v) => `level.${v}` as MessageKey, width: 10 },
    { id: "industry", header: "sheets.col.industry", kind: "industry", required: true, width: 16 },
    { id: "sector", header: "sheets.col.sector", kind: "enum", required: true, values: SECTORS, label: (v) => `sector.${v}` as MessageKey, width: 10 },
    { id: "specialties", header: "sheets.col.specialties", kind: "list", required: true, width: 30 },
    { id: "founded", header: "sheets.col.founded", kind: "year", required: true, width: 10 },
    { id: "honours", header: "sheets.col.honours", kind: "list", width: 28 },
    { id: "needs", header: "sheets.col.skillNeeds", kind: "list", width: 24 },
    illustrative,
    { id: "body", header: "sheets.col.profile", kind: "body", required: true, width: 60 },
    { id: "results", header: "sheets.col.resultsCount", kind: "count", readOnly: true, width: 8 },
    { id: "patents", header: "sheets.col.patentsCount", kind: "count", readOnly: true, width: 8 },
  ],
  people: [
    slug("sheets.notes.personKey"),
    { id: "name", header: "sheets.col.personName", kind: "text", required: true, max: 40, width: 10 },
    { id: "studio", header: "sheets.col.studio", kind: "studio", required: true, width: 30 },
    { id: "role", header: "sheets.col.role", kind: "enum", values: ["leader", "member"], label: (v) => `people.role.${v}` as MessageKey, width: 8 },
    { id: "title", header: "sheets.col.title", kind: "text", max: 40, width: 14 },
    { id: "honours", header: "sheets.col.honours", kind: "list", width: 28 },
    { id: "skills", header: "sheets.col.skills", kind: "list", width: 28 },
    { id: "results", header: "sheets.col.results", kind: "slugs", width: 24 },
    { id: "body", header: "sheets.col.profile", kind: "body", note: "sheets.notes.bio", width: 50 },
    { id: "enterprise", header: "sheets.col.enterprise", kind: "text", readOnly: true, width: 28 },
  ],
  needs: [
    slug(),
    { id: "title", header: "sheets.col.needTitle", kind: "text", required: true, max: 120, width: 30 },
    { id: "enterprise", header: "sheets.col.needEnterprise", kind: "text", required: true, max: 100, width: 28 },
    { id: "industry", header: "sheets.col.industry", kind: "industry", required: true, width: 16 },
    { id: "tags", header: "sheets.col.tags", kind: "list", required: true, width: 24 },
    { id: "status", header: "sheets.col.status", kind: "enum", required: true, values: NEED_PATH, label: (v) => `needStatus.${v}` as MessageKey, width: 10 },
    illustrative,
    { id: "body", header: "sheets.col.needBody", kind: "body", required: true, width: 60 },
    { id: "district", header: "sheets.col.district", kind: "text", readOnly: true, width: 10 },
    { id: "postedOn", header: "sheets.col.postedOn", kind: "date", readOnly: true, width: 12 },
  ],
};

/** What a row holds once its cells are read: front-matter values by column id, plus slug and body. */
export type Raw = Record<string, unknown>;

export interface IndustryName {
  key: string;
  nameZh: string;
  nameEn: string;
}

export interface SheetContext {
  locale: Locale;
  industries: IndustryName[];
  /** studio slug → name, for the people sheet's studio column */
  studioNames: Map<string, string>;
}

const LIST_SPLIT = /[、;；\n]+/;
const norm = (s: string) => s.trim().toLowerCase();

/** A value as the reader sees it in a cell, in their language. */
export function toCell(col: Column, value: unknown, t: Translate, ctx: SheetContext): CellValue {
  if (value === undefined || value === null) return col.kind === "bool" ? t("sheets.no") : "";
  switch (col.kind) {
    case "list":
    case "slugs":
      return (value as string[]).join("、");
    case "enum":
      return value ? t(col.label!(String(value))) : "";
    case "industry": {
      const ind = ctx.industries.find((i) => i.key === value);
      return ind ? (ctx.locale === "en" ? ind.nameEn : ind.nameZh) : String(value);
    }
    case "studio":
      return ctx.studioNames.get(String(value)) ?? String(value);
    case "bool":
      return value ? t("sheets.yes") : t("sheets.no");
    case "year":
    case "count":
      return typeof value === "number" ? value : String(value);
    default:
      return String(value);
  }
}

const LOCALES = Object.values(MESSAGES);
const labelsOf = (key: MessageKey) => LOCALES.map((m) => norm(m[key]));

/**
 * A cell's text back as a front-matter value, whichever language the sheet was written in: an
 * enumeration by its stored value or either language's label, an industry by key or either name.
 * Anything unrecognised is passed on as typed, for the schema to name the problem. Empty: undefined.
 */
export function fromCell(col: Column, text: string, ctx: SheetContext & { studioSlugs: Map<string, string[]> }): unknown {
  const s = text.trim();
  if (!s) return undefined;
  switch (col.kind) {
    case "list":
    case "slugs":
      return s
        .split(LIST_SPLIT)
        .map((x) => x.trim())
        .filter(Boolean);
    case "enum": {
      const v = col.values!.find((v) => v === s || labelsOf(col.label!(v)).includes(norm(s)));
      return v ?? s;
    }
    case "industry": {
      const ind = ctx.industries.find((i) => i.key === s || norm(i.nameZh) === norm(s) || norm(i.nameEn) === norm(s));
      return ind?.key ?? s;
    }
    case "studio": {
      if (ctx.studioNames.has(s)) return s;
      const slugs = ctx.studioSlugs.get(s) ?? [];
      return slugs.length === 1 ? slugs[0] : s;
    }
    case "year":
      return /^\d+$/.test(s) ? Number(s) : s;
    case "bool":
      if (labelsOf("sheets.yes").includes(norm(s)) || ["true", "1", "y"].includes(norm(s))) return true;
      if (labelsOf("sheets.no").includes(norm(s)) || ["false", "0", "n"].includes(norm(s))) return false;
      return s;
    default:
      return s.replace(/\r\n?/g, "\n");
  }
}

// ── records as rows: the export writes these, and the importer compares a row with them ──

export const studioRaw = (s: {
  slug: string;
  name: string;
  enterprise: { name: string };
  level: string;
  industryKey: string;
  sector: string;
  specialties: string;
  founded: number;
  honours: string;
  skillNeeds: string;
  illustrative: boolean;
  bodyMarkdown: string;
  people: { name: string; role: string; honours: string; sortOrder: number }[];
}): Raw => {
  const people = [...s.people].sort((a, b) => a.sortOrder - b.sortOrder);
  const leader = people.find((p) => p.role === "leader");
  return {
    slug: s.slug,
    name: s.name,
    enterprise: s.enterprise.name,
    leader: leader?.name ?? "",
    leader_honours: leader ? parseList(leader.honours) : [],
    members: people.filter((p) => p.role !== "leader").map((p) => p.name),
    level: s.level,
    industry: s.industryKey,
    sector: s.sector,
    specialties: parseList(s.specialties),
    founded: s.founded,
    honours: parseList(s.honours),
    needs: parseList(s.skillNeeds),
    illustrative: s.illustrative,
    body: s.bodyMarkdown,
  };
};

export const personRaw = (p: {
  slug: string;
  name: string;
  role: string;
  title: string | null;
  honours: string;
  skills: string;
  bio: string;
  studio: { slug: string };
  results: string[];
}): Raw => ({
  slug: p.slug,
  name: p.name,
  studio: p.studio.slug,
  role: p.role,
  title: p.title ?? undefined,
  honours: parseList(p.honours),
  skills: parseList(p.skills),
  results: p.results,
  body: p.bio,
});

export const needRaw = (n: {
  slug: string;
  title: string;
  enterprise: { name: string };
  industryKey: string;
  tags: string | string[];
  status: string;
  illustrative: boolean;
  bodyMarkdown: string;
}): Raw => ({
  slug: n.slug,
  title: n.title,
  enterprise: n.enterprise.name,
  industry: n.industryKey,
  tags: typeof n.tags === "string" ? parseList(n.tags) : n.tags,
  status: n.status,
  illustrative: n.illustrative,
  body: n.bodyMarkdown,
});
