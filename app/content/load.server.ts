import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { z } from "zod";
import { markdownToLexical } from "~/lexical/markdown.server";
import { bodyToText } from "~/lexical/text";
import {
  NeedSchema, PatentSchema, PersonSchema, ResultSchema, SLUG, StudioSchema, TaxonomySchema,
  type Industry, type NeedFront, type PatentFront, type PersonFront, type ResultFront, type StudioFront,
} from "./schema";

export interface Problem {
  file: string;
  field: string;
  message: string;
  /** for reports in other words than the English `message` (the spreadsheet import's): what kind of problem, about which value */
  code?: "unknownIndustry" | "unknownStudio" | "unknownResult" | "otherStudioResult" | "slugTaken" | "duplicate";
  value?: string;
}

export interface ContentFile<T> {
  file: string;
  slug: string;
  data: T;
  body: string; // Lexical JSON
  bodyText: string;
}

export interface ContentSet {
  dir: string;
  industries: Industry[] | null; // null: the folder has no taxonomy.yaml
  studios: ContentFile<StudioFront>[];
  results: ContentFile<ResultFront>[];
  patents: ContentFile<PatentFront>[];
  needs: ContentFile<NeedFront>[];
  people: ContentFile<PersonFront>[];
  problems: Problem[];
}

export const MAX_FILE_BYTES = 256 * 1024;

/** Reads and validates every file of a content folder. Nothing here touches the database. */
export function loadContentDir(dir: string): ContentSet {
  const set: ContentSet = { dir, industries: null, studios: [], results: [], patents: [], needs: [], people: [], problems: [] };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    set.problems.push({ file: dir, field: "-", message: "is not a folder" });
    return set;
  }
  const taxonomyFile = path.join(dir, "taxonomy.yaml");
  if (existsSync(taxonomyFile)) set.industries = loadTaxonomy(taxonomyFile, dir, set.problems);

  const folders = ["studios", "results", "patents", "needs"] as const;
  if (!folders.some((f) => existsSync(path.join(dir, f))) && !existsSync(taxonomyFile)) {
    set.problems.push({ file: dir, field: "-", message: "has no taxonomy.yaml and none of studios/, results/, patents/, needs/" });
  }
  set.studios = loadFolder(dir, "studios", StudioSchema, set.problems);
  set.results = loadFolder(dir, "results", ResultSchema, set.problems);
  set.patents = loadFolder(dir, "patents", PatentSchema, set.problems);
  set.needs = loadFolder(dir, "needs", NeedSchema, set.problems);
  set.people = loadFolder(dir, "people", PersonSchema, set.problems);
  return set;
}

function loadTaxonomy(file: string, dir: string, problems: Problem[]): Industry[] | null {
  const rel = path.relative(dir, file);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (e) {
    problems.push({ file: rel, field: "-", message: yamlMessage(e) });
    return null;
  }
  const parsed = TaxonomySchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...issues(rel, parsed.error, raw));
    return null;
  }
  const keys = new Set<string>();
  parsed.data.industries.forEach((ind, i) => {
    if (keys.has(ind.key)) problems.push({ file: rel, field: `industries[${i}].key`, message: `"${ind.key}" is listed twice` });
    keys.add(ind.key);
  });
  parsed.data.industries.forEach((ind, i) =>
    ind.related.forEach((r, j) => {
      if (!keys.has(r)) problems.push({ file: rel, field: `industries[${i}].related[${j}]`, message: `unknown industry "${r}"` });
    }),
  );
  return parsed.data.industries;
}

function loadFolder<S extends z.ZodType>(dir: string, folder: string, schema: S, problems: Problem[]): ContentFile<z.output<S>>[] {
  const full = path.join(dir, folder);
  if (!existsSync(full)) return [];
  const out: ContentFile<z.output<S>>[] = [];
  for (const name of readdirSync(full).sort()) {
    if (name.startsWith(".")) continue;
    const rel = path.join(folder, name);
    if (!name.endsWith(".md")) {
      problems.push({ file: rel, field: "-", message: "is not a Markdown (.md) file" });
      continue;
    }
    const slug = name.slice(0, -3);
    if (!SLUG.test(slug)) {
      problems.push({ file: rel, field: "slug", message: "file name must be a slug of lowercase letters, digits and dashes" });
      continue;
    }
    const size = statSync(path.join(full, name)).size;
    if (size > MAX_FILE_BYTES) {
      problems.push({ file: rel, field: "-", message: `is ${Math.round(size / 1024)} KB; the limit is ${MAX_FILE_BYTES / 1024} KB` });
      continue;
    }
    const parsed = parseContentFile(readFileSync(path.join(full, name), "utf8"), rel, schema, problems);
    if (parsed) out.push({ ...parsed, file: rel, slug });
  }
  return out;
}

/** Parses one Markdown file with YAML front matter; pushes problems and returns null when it is bad. */
export function parseContentFile<S extends z.ZodType>(
  source: string,
  file: string,
  schema: S,
  problems: Problem[],
): { data: z.output<S>; body: string; bodyText: string } | null {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(source);
  if (!m) {
    problems.push({ file, field: "front matter", message: "missing: the file must start with YAML between two --- lines" });
    return null;
  }
  let raw: unknown;
  try {
    raw = parseYaml(m[1]);
  } catch (e) {
    problems.push({ file, field: "front matter", message: yamlMessage(e) });
    return null;
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problems.push({ file, field: "front matter", message: "must be a YAML mapping of fields" });
    return null;
  }
  const parsed = schema.safeParse(raw);
  const before = problems.length;
  if (!parsed.success) problems.push(...issues(file, parsed.error, raw));
  const body = markdownToLexical(m[2]);
  if (!body.ok) problems.push({ file, field: "body", message: body.message });
  else if (!m[2].trim()) problems.push({ file, field: "body", message: "is empty" });
  if (problems.length > before || !parsed.success || !body.ok) return null;
  return { data: parsed.data, body: body.json, bodyText: bodyToText(body.state) };
}

export function issues(file: string, error: z.ZodError, raw: unknown): Problem[] {
  return error.issues.map((i) => {
    const at = fieldName(i.path);
    if (i.code === "unrecognized_keys") {
      // a key may be empty (`"": 1`); the report still has to show which field it means
      const key = (k: string) => (k === "" ? '""' : k);
      return { file, field: i.keys.map((k) => (at ? `${at}.${key(k)}` : key(k))).join(", "), message: "is not a known field" };
    }
    const present = getPath(raw, i.path as PropertyKey[]) !== undefined;
    // a missing enum field fails as "invalid_value"; both mean the field was left out
    const message = !present && (i.code === "invalid_type" || i.code === "invalid_value") ? "is required" : i.message;
    return { file, field: at || "front matter", message };
  });
}

function fieldName(p: PropertyKey[]): string {
  return p.map((k, n) => (typeof k === "number" ? `[${k}]` : `${n ? "." : ""}${String(k)}`)).join("");
}

function getPath(v: unknown, p: PropertyKey[]): unknown {
  return p.reduce<unknown>((acc, k) => (acc && typeof acc === "object" ? (acc as Record<PropertyKey, unknown>)[k] : undefined), v);
}

function yamlMessage(e: unknown): string {
  if (e instanceof YAMLParseError) return `YAML error: ${e.message.split("\n")[0]}`;
  return `YAML error: ${String(e)}`;
}
