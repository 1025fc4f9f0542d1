import { z } from "zod";

// Front matter of the content files (DESIGN.md "Content files"). Strict: an unknown key is
// reported, so a typo such as `specialities` is caught instead of silently dropped.

import { CONTROL_CHARS_TEXT, safeString } from "~/utils/text-safety";
import { LEVELS, NEED_PATH, PATENT_KINDS, PATENT_STATUSES, RESULT_KINDS, RESULT_STATUSES, SECTORS } from "./enums";

export * from "./enums";

const text = (max = 200) => safeString(CONTROL_CHARS_TEXT).trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
const list = (max = 40) => z.array(text(300)).max(max, `must have at most ${max} entries`);
const key = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be a lowercase key such as rail-transit");
const year = z.number().int("must be a whole year").min(1949, "must be 1949 or later").max(2100, "must be 2100 or earlier");
const date = z.preprocess(
  (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v),
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date YYYY-MM-DD", abort: true }).refine(isRealDate, "is not a real date"),
);

/** 2021-02-30 parses (as 2 March), so the date must also read back as itself. */
function isRealDate(s: unknown): boolean {
  if (typeof s !== "string") return false;
  const t = Date.parse(s);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

const illustrative = z.boolean().optional().default(false);

export const IndustrySchema = z.strictObject({
  key,
  zh: text(40),
  en: text(80),
  sector: z.enum(SECTORS),
  related: z.array(key).optional().default([]),
});

export const TaxonomySchema = z.strictObject({
  industries: z.array(IndustrySchema).min(1, "must list at least one industry"),
  // DESIGN.md: any content file may carry `illustrative: true`; the industries are the same either way
  illustrative: z.boolean().optional(),
});

export const StudioSchema = z.strictObject({
  name: text(100),
  enterprise: text(100),
  leader: text(40),
  leader_honours: list().optional().default([]),
  members: list(60).optional().default([]),
  level: z.enum(LEVELS),
  industry: key,
  sector: z.enum(SECTORS),
  specialties: list().min(1, "must list at least one specialty"),
  founded: year,
  honours: list().optional().default([]),
  needs: list().optional().default([]),
  illustrative,
});

export const ResultSchema = z.strictObject({
  title: text(120),
  studio: key,
  kind: z.enum(RESULT_KINDS),
  industry: key,
  tags: list(),
  benefits: list(),
  status: z.enum(RESULT_STATUSES),
  adopters: list().optional().default([]),
  year,
  patents: z.array(text(80)).optional().default([]), // numbers, or the slugs of patent files
  awards: list().optional().default([]),
  illustrative,
});

export const PatentSchema = z
  .strictObject({
    number: z.string().trim().regex(/^[A-Za-z0-9.\-]{6,30}$/, "must be a patent or registration number such as ZL202220123456.7"),
    title: text(150),
    kind: z.enum(PATENT_KINDS),
    status: z.enum(PATENT_STATUSES),
    studio: key,
    filed: date,
    granted: date.optional(),
    illustrative,
  })
  .superRefine((p, ctx) => {
    if (p.status === "granted" && !p.granted) ctx.addIssue({ code: "custom", path: ["granted"], message: "is required when status is granted" });
    // refinements run even when a date failed above; compare only two real dates
    if (p.granted && isRealDate(p.granted) && isRealDate(p.filed) && p.granted < p.filed) ctx.addIssue({ code: "custom", path: ["granted"], message: "must not be before the filing date" });
  });

export const NeedSchema = z.strictObject({
  title: text(120),
  enterprise: text(100),
  industry: key,
  tags: list(),
  status: z.enum(NEED_PATH),
  illustrative,
});

/** people/<slug>.md (optional): one person of a studio; the body is the short profile. No contact fields. */
export const PersonSchema = z.strictObject({
  name: text(40),
  studio: key,
  role: z.enum(["leader", "member"]).optional().default("member"),
  title: text(40).optional(),
  honours: list().optional().default([]),
  skills: list().optional().default([]),
  results: z.array(key).max(100, "must have at most 100 entries").optional().default([]),
  illustrative,
});

export type Industry = z.infer<typeof IndustrySchema>;
export type PersonFront = z.infer<typeof PersonSchema>;
export type StudioFront = z.infer<typeof StudioSchema>;
export type ResultFront = z.infer<typeof ResultSchema>;
export type PatentFront = z.infer<typeof PatentSchema>;
export type NeedFront = z.infer<typeof NeedSchema>;

export const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
