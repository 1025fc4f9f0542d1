import fc from "fast-check";
import { NODE_TYPES as REGISTERED_TYPES } from "~/lexical/registry";

// Generators of hostile input shared by the property tests: the characters attackers and broken
// clients send (controls, bidi overrides, lone surrogates, NUL), Lexical-shaped bodies, form fields.

const codePoint = (from: number, to: number) => fc.integer({ min: from, max: to }).map((c) => String.fromCharCode(c));

/** One UTF-16 unit or code point, weighted towards what breaks parsers. */
export const hostileChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 4, arbitrary: codePoint(0x4e00, 0x9fff) }, // CJK
  { weight: 1, arbitrary: codePoint(0x00, 0x1f) }, // C0 controls, NUL included
  { weight: 1, arbitrary: fc.constantFrom("\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200b", "\ufeff", "\u3000", "\u00a0", "\u2028") },
  { weight: 1, arbitrary: codePoint(0xd800, 0xdfff) }, // a lone surrogate half
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("-", "，", "、", "；", ";", ",", "\n", "\r\n", "\t", " ", "#", "*", "`", "<", ">", "&", '"', "'", "\\", "/", "%", "{", "}", "[", "]", ":", "=", "?"),
  },
);

/** The hostile characters that a well-formed (USV) string can hold: no lone surrogate halves. */
export const wellFormedChar = hostileChar.filter((c) => !/^[\uD800-\uDFFF]$/.test(c));
export const wellFormed = (maxLength = 40) => fc.string({ unit: wellFormedChar, maxLength });

/** A string of hostile characters. */
export const hostile = (maxLength = 40) => fc.string({ unit: hostileChar, maxLength });

/** Any of the characters above except lone surrogates and controls (those are known bugs, fixed elsewhere). */
export const printableChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 4, arbitrary: codePoint(0x4e00, 0x9fff) },
  { weight: 1, arbitrary: fc.constantFrom("-", "，", "、", "；", "\n", " ", "#", "*", "<", ">", "&", '"', "'", "/", "%") },
);
export const printable = (maxLength = 40) => fc.string({ unit: printableChar, maxLength });

const NODE_TYPES = [...REGISTERED_TYPES, "script", "html", "iframe", "", "Text"] as const;

/** A value Lexical might put in an attribute, or anything else. */
const attributeOf = (text: fc.Arbitrary<string>) =>
  fc.oneof(
    text,
    fc.integer({ min: -5, max: 5000 }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(
      "h1",
      "h7",
      "bullet",
      "number",
      "check",
      "rtl",
      "center",
      "https://example.cn/a",
      "javascript:alert(1)",
      " /uploads/a.png",
      "/uploads/a.png",
      "//evil.example",
      "/\\evil",
    ),
  );

/** Nodes shaped like Lexical's serialization, with random types, attributes and children; texts from `text`. */
export function lexicalNodeOf(text: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const attribute = attributeOf(text);
  return fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.record({ type: fc.constant("text"), version: fc.constant(1), text, format: attribute }, { requiredKeys: ["type", "text"] }),
      fc.record(
        {
          type: fc.constantFrom(...NODE_TYPES),
          version: fc.constant(1),
          children: fc.array(tie("node"), { maxLength: 4 }),
          tag: attribute,
          listType: attribute,
          url: attribute,
          src: attribute,
          format: attribute,
          direction: attribute,
          indent: attribute,
          start: attribute,
          value: attribute,
          checked: attribute,
          language: attribute,
          text: attribute,
          colSpan: attribute,
          headerState: attribute,
          altText: attribute,
          width: attribute,
        },
        { requiredKeys: ["type"] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  })).node;
}

/** A whole editor state, mostly well-formed at the root so the validator's inner checks are reached. */
export function lexicalStateOf(text: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const node = lexicalNodeOf(text);
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(node, { maxLength: 5 }).map((children) => ({ root: { type: "root", version: 1, children } })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: node.map((root) => ({ root })) },
  );
}

/** Any character at all in the texts, lone surrogate halves included. */
export const lexicalState = lexicalStateOf(hostile(30));

/** A well-formed body whose text nodes hold `text`. */
export const bodyOf = (texts: string[]) =>
  JSON.stringify({
    root: {
      type: "root",
      version: 1,
      direction: "ltr",
      format: "",
      indent: 0,
      children: [
        {
          type: "paragraph",
          version: 1,
          direction: "ltr",
          format: "",
          indent: 0,
          children: texts.map((text) => ({ type: "text", version: 1, text, format: 0, detail: 0, mode: "normal", style: "" })),
        },
      ],
    },
  });

/**
 * Form fields for a schema: every known field, each missing, given once, or given several times,
 * with a plausible value, a hostile one, or one built from `valid` — plus a few unknown fields.
 */
export function formFields(fields: Record<string, fc.Arbitrary<string>>, text: (n?: number) => fc.Arbitrary<string> = hostile): fc.Arbitrary<[string, string][]> {
  const one = (name: string, valid: fc.Arbitrary<string>) =>
    fc.oneof(
      { weight: 1, arbitrary: fc.constant([] as [string, string][]) },
      { weight: 6, arbitrary: fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: text() }).map((v) => [[name, v]] as [string, string][]) },
      { weight: 1, arbitrary: fc.array(fc.oneof(valid, text()), { minLength: 2, maxLength: 3 }).map((vs) => vs.map((v) => [name, v] as [string, string])) },
    );
  return fc
    .tuple(
      ...Object.entries(fields).map(([name, valid]) => one(name, valid)),
      fc.array(fc.tuple(fc.constantFrom("__proto__", "constructor", "extra", "studio[]", "csrf2", ""), text(10)), { maxLength: 2 }),
    )
    .map((parts) => parts.flat() as [string, string][]);
}

export const toFormData = (entries: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

export const date = fc.date({ min: new Date("1940-01-01"), max: new Date("2110-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
export const slugish = fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/), hostile(12));
export const numberish = fc.oneof(fc.integer({ min: -10, max: 3000 }).map(String), fc.constantFrom("", "1e3", "0x10", "2025.5", " 2020 ", "NaN", "Infinity", "-0"));
