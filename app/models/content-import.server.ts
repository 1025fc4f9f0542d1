import { loadContentDir, type ContentSet, type Problem } from "~/content/load.server";
import type { Db } from "~/utils/db.server";
import type { SaveOutcome } from "./common.server";
import { saveIndustry } from "./industry.server";
import { saveNeed } from "./need.server";
import { savePatent } from "./patent.server";
import { savePersonFile } from "./person.server";
import { saveResult } from "./result.server";
import { saveStudio } from "./studio.server";

export type Counts = Record<SaveOutcome, number>;
export interface ImportReport {
  ok: boolean;
  problems: Problem[];
  counts: { industries: Counts; studios: Counts; patents: Counts; results: Counts; needs: Counts; people: Counts };
}

const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });

/**
 * Imports a content folder: every file is validated, and every reference checked against the folder
 * and the database, before anything is written; then all writes happen in one transaction.
 */
export async function importContent(db: Db, dir: string): Promise<ImportReport> {
  const set = loadContentDir(dir);
  const report: ImportReport = {
    ok: false,
    problems: [...set.problems],
    counts: { industries: zero(), studios: zero(), patents: zero(), results: zero(), needs: zero(), people: zero() },
  };
  // the report names problems in words (`code` and `value` are for the spreadsheet import's own words)
  report.problems.push(...(await checkReferences(db, set)).map(({ file, field, message }) => ({ file, field, message })));
  if (report.problems.length) return report;

  await db.$transaction(
    async (tx) => {
      for (const [i, ind] of (set.industries ?? []).entries()) report.counts.industries[await saveIndustry(tx, ind, i)]++;
      for (const f of set.studios) report.counts.studios[await saveStudio(tx, f)]++;
      for (const f of set.patents) report.counts.patents[await savePatent(tx, f)]++;
      for (const f of set.results) report.counts.results[await saveResult(tx, f)]++;
      for (const f of set.needs) report.counts.needs[await saveNeed(tx, f)]++;
      // after the studios, so a people/ file can describe a person its studio file names
      for (const f of set.people) report.counts.people[await savePersonFile(tx, f)]++;
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  report.ok = true;
  return report;
}

/** Every reference of a content set (industries, studios, patents, results) checked against the set and the database. */
export async function checkReferences(db: Db, set: ContentSet): Promise<Problem[]> {
  const problems: Problem[] = [];
  const industries = new Set(set.industries ? set.industries.map((i) => i.key) : (await db.industry.findMany({ select: { key: true } })).map((i) => i.key));
  const studios = new Set([...set.studios.map((s) => s.slug), ...(await db.studio.findMany({ select: { slug: true } })).map((s) => s.slug)]);
  const storedPatents = await db.patent.findMany({ select: { number: true, slug: true, studio: { select: { slug: true } } } });
  const patentStudio = new Map(storedPatents.map((p) => [p.number, p.studio.slug]));
  const numberOwner = new Map(storedPatents.map((p) => [p.number, p.slug]));

  const industry = (file: string, key: string) => {
    if (!industries.has(key)) problems.push({ file, field: "industry", message: `unknown industry "${key}" (not in taxonomy.yaml)`, code: "unknownIndustry", value: key });
  };
  const studio = (file: string, slug: string) => {
    if (!studios.has(slug)) problems.push({ file, field: "studio", message: `unknown studio "${slug}" (no studios/${slug}.md)`, code: "unknownStudio", value: slug });
  };
  for (const s of set.studios) industry(s.file, s.data.industry);
  for (const p of set.patents) {
    studio(p.file, p.data.studio);
    const owner = numberOwner.get(p.data.number);
    if (owner && owner !== p.slug) {
      problems.push({ file: p.file, field: "number", message: `${p.data.number} already belongs to patents/${owner}.md` });
    }
    numberOwner.set(p.data.number, p.slug);
    patentStudio.set(p.data.number, p.data.studio);
  }
  // a result may name its patents by number (DESIGN.md) or by the patent file's slug
  const slugNumber = new Map([...storedPatents.map((p) => [p.slug, p.number] as const), ...set.patents.map((p) => [p.slug, p.data.number] as const)]);
  for (const r of set.results) {
    studio(r.file, r.data.studio);
    industry(r.file, r.data.industry);
    r.data.patents = r.data.patents.map((n) => (patentStudio.has(n) ? n : (slugNumber.get(n) ?? n)));
    r.data.patents.forEach((n, i) => {
      if (!patentStudio.has(n)) problems.push({ file: r.file, field: `patents[${i}]`, message: `unknown patent "${n}" (neither a patent number nor a patents/ file)` });
    });
  }
  for (const n of set.needs) industry(n.file, n.data.industry);
  problems.push(...(await checkPeople(db, set)));
  return problems;
}

export function formatReport(r: ImportReport): string {
  if (!r.ok) {
    return [`Import refused: ${r.problems.length} problem(s); nothing was written.`, ...r.problems.map((p) => `${p.file}: ${p.field}: ${p.message}`)].join("\n");
  }
  const rows = Object.entries(r.counts).map(
    ([type, c]) => `  ${type.padEnd(11)} ${String(c.created).padStart(4)} created ${String(c.updated).padStart(4)} updated ${String(c.unchanged).padStart(4)} unchanged`,
  );
  return ["Import done.", ...rows].join("\n");
}

/** people/ files: a known studio, results of that studio, and a slug no other person of another file or studio holds. */
async function checkPeople(db: Db, set: ContentSet): Promise<Problem[]> {
  const problems: Problem[] = [];
  if (!set.people.length) return problems;
  const studios = new Set([...set.studios.map((s) => s.slug), ...(await db.studio.findMany({ select: { slug: true } })).map((s) => s.slug)]);
  const resultStudio = new Map([
    ...(await db.result.findMany({ select: { slug: true, studio: { select: { slug: true } } } })).map((r) => [r.slug, r.studio.slug] as const),
    ...set.results.map((r) => [r.slug, r.data.studio] as const),
  ]);
  const stored = await db.person.findMany({ select: { slug: true, name: true, studio: { select: { slug: true } } } });
  const slugOwner = new Map(stored.map((p) => [p.slug, `${p.studio.slug}/${p.name}`]));
  const seen = new Map<string, string>();
  for (const p of set.people) {
    if (!studios.has(p.data.studio))
      problems.push({ file: p.file, field: "studio", message: `unknown studio "${p.data.studio}" (no studios/${p.data.studio}.md)`, code: "unknownStudio", value: p.data.studio });
    p.data.results.forEach((r, i) => {
      const owner = resultStudio.get(r);
      if (!owner) problems.push({ file: p.file, field: `results[${i}]`, message: `unknown result "${r}" (no results/${r}.md)`, code: "unknownResult", value: r });
      else if (owner !== p.data.studio)
        problems.push({ file: p.file, field: `results[${i}]`, message: `result "${r}" belongs to studio "${owner}", not "${p.data.studio}"`, code: "otherStudioResult", value: r });
    });
    const who = `${p.data.studio}/${p.data.name}`;
    const holder = slugOwner.get(p.slug);
    if (holder && holder !== who)
      problems.push({ file: p.file, field: "slug", message: `the slug "${p.slug}" already belongs to ${holder.replace("/", "'s ")}`, code: "slugTaken", value: p.slug });
    const twice = seen.get(who);
    if (twice) problems.push({ file: p.file, field: "name", message: `${p.data.name} of ${p.data.studio} is already described by ${twice}`, code: "duplicate", value: twice });
    seen.set(who, p.file);
  }
  return problems;
}
