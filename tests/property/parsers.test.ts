// Property tests over every parser of untrusted input: the Lexical validator, the Markdown
// importer with the content front matter, the search parameters and every form schema. Thousands
// of generated inputs each; a parser answers with a value or with an error naming the field, and
// never throws.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { stringify } from "yaml";
import type { z } from "zod";
import { parseContentFile, type Problem } from "~/content/load.server";
import { LEVELS, NEED_STATUSES, PATENT_KINDS, PATENT_STATUSES, RESULT_KINDS, RESULT_STATUSES, SECTORS } from "~/content/enums";
import { NeedSchema, PatentSchema, ResultSchema, StudioSchema, TaxonomySchema } from "~/content/schema";
import { MESSAGES } from "~/i18n/messages";
import { markdownToLexical } from "~/lexical/markdown.server";
import { renderBodyHtml } from "~/lexical/render.server";
import { bodyToText } from "~/lexical/text";
import { validateBody } from "~/lexical/validate";
import { PatentFormSchema, ResultFormSchema, StudioFormSchema } from "~/models/editing.server";
import * as forms from "~/models/form-schemas.server";
import { LoginSchema } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms.server";
import { DOC_TYPES, SORTS } from "../../search/engine";
import { MAX_PAGE, MAX_QUERY_LENGTH, parseSearchParams } from "../../app/utils/search-params";
import { bodyOf, date, formFields, hostile, lexicalState, numberish, printable, slugish, toFormData } from "./arbitraries";

// a fixed seed keeps CI repeatable; FC_SEED=<n> (or FC_SEED=random) explores further
const seed = process.env.FC_SEED === "random" ? Date.now() % 2 ** 31 : Number(process.env.FC_SEED ?? 20261202);
fc.configureGlobal({ seed, endOnFailure: false });

describe("the Lexical validator", () => {
  test("any JSON value or Lexical-shaped state: a typed failure, or a body that validates again to itself", () => {
    fc.assert(
      fc.property(lexicalState, (input) => {
        const check = validateBody(input);
        if (!check.ok) {
          expect(typeof check.message).toBe("string");
          expect(check.message.length).toBeGreaterThan(0);
          return;
        }
        const again = validateBody(check.json);
        expect(again).toEqual({ ok: true, state: check.state, json: check.json });
        // what the pages and the index do with a valid body must not throw either
        expect(typeof bodyToText(check.state)).toBe("string");
        expect(typeof renderBodyHtml(check.state)).toBe("string");
      }),
      { numRuns: 3000 },
    );
  });

  test("any string as a posted body: a typed failure or a value, never an exception", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostile(200),
          lexicalState.map((s) => JSON.stringify(s)),
          lexicalState.map((s) => JSON.stringify(s).slice(0, 60)),
        ),
        (raw) => {
          const check = validateBody(raw);
          expect(check.ok ? typeof check.json : typeof check.message).toBe("string");
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("text nodes keep every character given, controls and CJK included", () => {
    fc.assert(
      fc.property(fc.array(printable(30), { minLength: 1, maxLength: 4 }), (texts) => {
        const check = validateBody(bodyOf(texts));
        expect(check.ok).toBe(true);
        if (check.ok)
          expect(bodyToText(check.state)).toBe(
            texts
              .join("")
              .replace(/[ \t]+\n/g, "\n")
              .replace(/\n{2,}/g, "\n")
              .trim(),
          );
      }),
      { numRuns: 1000 },
    );
  });
});

const markdownPiece = fc.oneof(
  printable(30),
  hostile(20),
  fc.constantFrom(
    "# ",
    "## ",
    "###### ",
    "- ",
    "* ",
    "1. ",
    "> ",
    "```\n",
    "```js\n",
    "`",
    "**",
    "_",
    "~~",
    "[链接](https://example.cn)",
    "[x](javascript:alert(1))",
    "![图](a.png)",
    "---\n",
    "\n\n",
    "\n",
    "    ",
    "| a | b |\n|---|---|\n",
    "<b>",
    "&amp;",
    "\\",
    "- [ ] ",
    "- [x] ",
  ),
);
const markdown = fc.array(markdownPiece, { maxLength: 25 }).map((xs) => xs.join(""));

describe("the Markdown importer", () => {
  test("any Markdown body: a typed failure or a body the validator accepts as it is", () => {
    fc.assert(
      fc.property(markdown, (md) => {
        const r = markdownToLexical(md);
        if (!r.ok) {
          expect(r.message.length).toBeGreaterThan(0);
          return;
        }
        const again = validateBody(r.json);
        expect(again.ok && again.json).toBe(r.json);
      }),
      { numRuns: 2000 },
    );
  });

  const value = fc.oneof(
    printable(20),
    hostile(20),
    fc.integer({ min: 1900, max: 2200 }),
    fc.boolean(),
    fc.constant(null),
    date,
    fc.array(printable(10), { maxLength: 3 }),
    fc.constantFrom(
      ...LEVELS,
      ...SECTORS,
      ...RESULT_KINDS,
      ...RESULT_STATUSES,
      ...PATENT_KINDS,
      ...PATENT_STATUSES,
      ...NEED_STATUSES,
      "rail-transit",
      "xu-xin",
      "ZL202220123456.7",
    ),
    fc.dictionary(printable(5), printable(5), { maxKeys: 2 }),
  );
  const FIELDS = [
    "name",
    "enterprise",
    "leader",
    "level",
    "industry",
    "sector",
    "specialties",
    "founded",
    "honours",
    "needs",
    "title",
    "studio",
    "kind",
    "tags",
    "benefits",
    "status",
    "adopters",
    "year",
    "patents",
    "awards",
    "number",
    "filed",
    "granted",
    "illustrative",
    "members",
    "leader_honours",
    "specialities",
  ];
  const frontMatter = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .dictionary(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: printable(8) }), value, { maxKeys: 14 })
        .map((o) => stringify(o)),
    },
    { weight: 1, arbitrary: hostile(80) },
    { weight: 1, arbitrary: fc.constantFrom("[1, 2", "a: [", "- x\n- y", "a: &x 1\nb: *y", "? [a]\n: 1", "&a [*a]", "x: !!binary AAAA", "'", "42") },
  );
  const source = fc
    .tuple(fc.constantFrom("---\n", "\uFEFF---\n", "---\r\n", "", "--\n"), frontMatter, fc.constantFrom("\n---\n", "\r\n---\r\n", "\n--- \n", "\n"), markdown)
    .map(([open, fm, close, body]) => open + fm + close + body);

  test.each([
    ["studios", StudioSchema],
    ["results", ResultSchema],
    ["patents", PatentSchema],
    ["needs", NeedSchema],
  ] as const)("any %s file: data, or problems each naming the file, a field and what is wrong", (folder, schema) => {
    fc.assert(
      fc.property(source, (src) => {
        const problems: Problem[] = [];
        const file = `${folder}/x.md`;
        const parsed = parseContentFile(src, file, schema as z.ZodType, problems);
        if (parsed) {
          expect(problems).toEqual([]);
          expect(validateBody(parsed.body).ok).toBe(true);
        } else {
          expect(problems.length).toBeGreaterThan(0);
          for (const p of problems) {
            expect(p.file).toBe(file);
            expect(typeof p.field).toBe("string");
            expect(p.field.length).toBeGreaterThan(0);
            expect(p.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 800 },
    );
  });

  test("any taxonomy: parsed, or zod issues with a path", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.array(
          fc.record(
            { key: slugish, zh: hostile(10), en: printable(10), sector: fc.constantFrom(...SECTORS, "x"), related: fc.array(slugish, { maxLength: 2 }) },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        (raw, industries) => {
          for (const input of [raw, { industries }]) {
            const r = TaxonomySchema.safeParse(input);
            if (!r.success) expect(r.error.issues.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe("the search parameters", () => {
  const NAMES = ["q", "type", "industry", "kind", "level", "enterprise", "page", "perPage", "sort"];
  const paramValue = fc.oneof(
    hostile(30),
    numberish,
    fc.constantFrom(...DOC_TYPES, ...RESULT_KINDS, ...LEVELS, ...SORTS, "rail-transit", "0", "500", "501", "50", "51", "", "仿真 地铁"),
    fc.string({ minLength: MAX_QUERY_LENGTH - 2, maxLength: MAX_QUERY_LENGTH + 5, unit: fc.constantFrom("a", "工", " ") }),
  );
  const query = fc.array(fc.tuple(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: hostile(6) }), paramValue), { maxLength: 8 });

  test("any query string: a query within every limit, or an error naming one of the parameters", () => {
    fc.assert(
      fc.property(query, fc.boolean(), (entries, raw) => {
        // also through the URL, as the route reads it: percent-encoding and lone surrogates round-trip there
        const params = raw ? new URLSearchParams(entries) : new URL(`http://localhost/api/search?${new URLSearchParams(entries)}`).searchParams;
        const r = parseSearchParams(params);
        if (!r.ok) {
          expect(NAMES).toContain(r.error.field);
          expect(r.error.code).toBe("invalid_parameter");
          expect(r.error.message).toContain(r.error.field);
          return;
        }
        expect(r.query.q.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
        expect(r.query.page).toBeGreaterThanOrEqual(1);
        expect(r.query.page).toBeLessThanOrEqual(MAX_PAGE);
        expect(r.query.perPage).toBeGreaterThanOrEqual(1);
        expect(r.query.perPage).toBeLessThanOrEqual(50);
        expect(SORTS).toContain(r.query.sort);
        if (r.query.filters?.type) expect(DOC_TYPES).toContain(r.query.filters.type);
      }),
      { numRuns: 4000 },
    );
  });
});

// Every schema that parses a form, with the fields its form sends and what a valid value looks like.
const text = (n: number) => printable(n);
const FORM_SCHEMAS: [string, z.ZodType, Record<string, fc.Arbitrary<string>>, string[]][] = [
  ["LoginSchema", LoginSchema, { email: fc.emailAddress(), password: printable(20), redirectTo: fc.constantFrom("/", "/account", "//evil.example", "https://evil.example") }, []],
  ["RegisterSchema", forms.RegisterSchema, { name: text(50), email: fc.emailAddress(), password: printable(30), redirectTo: fc.constantFrom("/", "/account") }, []],
  ["PasswordSchema", forms.PasswordSchema, { intent: fc.constantFrom("password", "other"), currentPassword: printable(20), newPassword: printable(30) }, []],
  [
    "InviteSchema",
    forms.InviteSchema,
    { intent: fc.constantFrom("invite", "remove"), role: fc.constantFrom("member", "admin", "owner"), email: fc.oneof(fc.emailAddress(), fc.constant("")) },
    [],
  ],
  ["NewResultSchema", forms.NewResultSchema, { title: text(130) }, []],
  ["AdoptionSchema", forms.AdoptionSchema, { enterprise: slugish, newName: text(90), adoptedOn: date, benefit: text(310) }, []],
  ["AllianceSchema", forms.AllianceSchema, { name: text(70), theme: text(70), industries: slugish, invite: slugish }, ["industries", "invite"]],
  [
    "ProjectSchema",
    forms.ProjectSchema,
    { title: text(110), goals: text(200), lead: slugish, partners: slugish, milestoneTitle: text(110), milestoneDue: fc.oneof(date, fc.constant("")) },
    ["partners", "milestoneTitle", "milestoneDue"],
  ],
  [
    "ResultFormSchema",
    ResultFormSchema,
    {
      studio: slugish,
      version: numberish,
      title: text(130),
      kind: fc.constantFrom(...RESULT_KINDS, "x"),
      industry: slugish,
      tags: text(60),
      benefits: text(200),
      status: fc.constantFrom(...RESULT_STATUSES, "x"),
      adopters: text(100),
      year: numberish,
      patents: printable(45),
      awards: text(100),
      visibility: fc.constantFrom("public", "alliance", "secret"),
    },
    ["patents"],
  ],
  [
    "StudioFormSchema",
    StudioFormSchema,
    {
      studio: slugish,
      version: numberish,
      name: text(110),
      industry: slugish,
      sector: fc.constantFrom(...SECTORS, "x"),
      level: fc.constantFrom(...LEVELS, "x"),
      specialties: text(80),
      founded: numberish,
      honours: text(100),
      needs: text(80),
    },
    [],
  ],
  [
    "PatentFormSchema",
    PatentFormSchema,
    {
      studio: slugish,
      version: numberish,
      number: fc.oneof(fc.stringMatching(/^[A-Z]{2}[0-9]{6,12}\.[0-9]$/), printable(12)),
      title: text(160),
      kind: fc.constantFrom(...PATENT_KINDS, "x"),
      status: fc.constantFrom(...PATENT_STATUSES, "x"),
      filed: date,
      granted: fc.oneof(date, fc.constant("")),
    },
    [],
  ],
];

/** What a browser's FormData makes of a string: lone surrogate halves become U+FFFD. */
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
const isMessageKey = (m: string) => Object.hasOwn(MESSAGES["zh-CN"], m) && Object.hasOwn(MESSAGES.en, m);

describe("every form schema", () => {
  test.each(FORM_SCHEMAS)("%s: any form gives the data, or errors each on a field of the form, in the user's language", (_name, schema, fields, lists) => {
    const known = new Set([...Object.keys(fields), "_form"]);
    fc.assert(
      fc.property(formFields(fields), (entries) => {
        const r = parseForm(schema, toFormData(entries), lists);
        if (r.ok) return;
        // the values typed come back, passwords excepted
        for (const [k, v] of entries) if (!/password|csrf/i.test(k) && Object.hasOwn(r.values, k)) expect(r.values[k]).toContain(wellFormed(v));
        for (const [field, message] of Object.entries(r.errors)) {
          expect(known).toContain(field);
          // a message key with a zh-CN and an en text, never zod's own English
          expect(isMessageKey(message) ? message : `${field}: ${message}`).toBe(message);
        }
      }),
      { numRuns: 600 },
    );
  });
});
