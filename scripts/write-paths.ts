// Who writes each noun: scans app/ for Prisma writes (`db.<noun>.create(…)`, `tx.<noun>.update(…)`
// and the other write methods) and raw INSERT / UPDATE / DELETE statements, prints the files that
// write each noun, and exits 1 when a noun is written outside its own model (STYLE.md: each noun's
// model is its only write path). `npx tsx scripts/write-paths.ts`; tests/unit/write-paths.test.ts
// runs the same scan.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const WRITE_METHODS = ["create", "createMany", "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany"];
// `db` is the app's client (and a handed-in `db: Db`), `tx` a transaction client
const PRISMA_WRITE = new RegExp(String.raw`\b(?:db|tx|prisma)\s*\.\s*([a-z][A-Za-z]*)\s*\.\s*(${WRITE_METHODS.join("|")})\s*\(`, "g");
const RAW_WRITE = /\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:main\.)?"?([A-Za-z_][A-Za-z0-9_]*)"?/g;

/**
 * The model file(s) that own a noun, where it is not `app/models/<kebab-noun>.server.ts`: the parts
 * of an aggregate are written by the aggregate's model.
 */
export const OWNERS: Record<string, string[]> = {
  // an Activity row is written in the transaction of the change it describes, by that change's
  // model, through recordActivity (decision 0018)
  activity: ["app/models/common.server.ts"],
  // the honours list (/admin/honours) has its model; people keep their honours through theirs
  honour: ["app/models/honour.server.ts", "app/models/person.server.ts"],
  personHonour: ["app/models/person.server.ts"],
  personResult: ["app/models/person.server.ts"],
  resultPatent: ["app/models/result.server.ts"],
  // the need's state machine (点单 → 配送 → 送技) is its second file
  need: ["app/models/need.server.ts", "app/models/need-loop.server.ts"],
  needDispatch: ["app/models/need-loop.server.ts"],
  // the need's timeline: its steps (need-loop) and an approved change (need.server, for the review model)
  needEvent: ["app/models/need-loop.server.ts", "app/models/need.server.ts"],
  delivery: ["app/models/need-loop.server.ts"],
  allianceMember: ["app/models/alliance.server.ts"],
  jointProject: ["app/models/alliance.server.ts"],
  projectParticipant: ["app/models/alliance.server.ts"],
  projectUpdate: ["app/models/alliance.server.ts"],
  milestone: ["app/models/alliance.server.ts"],
  adoption: ["app/models/adoption.server.ts"],
  // an account and its tokens; sessions and login attempts live with the session cookie and the login
  emailToken: ["app/models/user.server.ts"],
  session: ["app/utils/session.server.ts"],
  loginAttempt: ["app/utils/auth.server.ts"],
  searchDoc: ["app/models/search/sync.server.ts"],
  searchChange: ["app/models/search/sync.server.ts"],
  // the outbox is filled with the content's changes; its deliverer claims due rows (decision 0027)
  searchOutbox: ["app/models/search/sync.server.ts", "app/models/search/outbox-turn.server.ts"],
  searchMeta: ["app/models/search/reindex.server.ts"],
  synonymGroup: ["app/models/synonym.server.ts"],
  // invitations to join a studio
  invitation: ["app/models/membership.server.ts"],
  // recognition (认定) requests and the review (审核) queue (decision 0024)
  recognitionRequest: ["app/models/recognition.server.ts"],
  reviewItem: ["app/models/review.server.ts"],
};

/** Writes outside the owner that are meant, each with its reason. Keep this list short. */
export const ALLOWED: { noun: string; file: string; why: string }[] = [
  // merging a duplicate enterprise re-points every row that names it, in the merge's one transaction
  { noun: "studio", file: "app/models/enterprise.server.ts", why: "enterprise merge re-points studios" },
  { noun: "need", file: "app/models/enterprise.server.ts", why: "enterprise merge re-points needs" },
  { noun: "enterpriseContact", file: "app/models/enterprise.server.ts", why: "enterprise merge re-points contacts" },
  { noun: "adoption", file: "app/models/enterprise.server.ts", why: "enterprise merge re-points adoptions" },
  { noun: "membership", file: "app/models/studio-application.server.ts", why: "an approved application's applicant becomes the studio's admin" },
  // a spreadsheet import of thousands of needs (decision 0025) writes their Activity rows in bulk, in
  // the import's one transaction, rather than one recordActivity call each
  { noun: "activity", file: "app/models/need.server.ts", why: "bulk Activity rows of a spreadsheet import's needs" },
  // demo accounts (decision 0013) are made at start-up by `npm start`, never by a request
  { noun: "user", file: "app/models/demo.server.ts", why: "demo accounts created and disabled at start" },
  { noun: "membership", file: "app/models/demo.server.ts", why: "demo accounts' studio roles" },
  { noun: "enterpriseContact", file: "app/models/demo.server.ts", why: "the demo enterprise contact" },
  // (demo.server.ts is loaded by scripts/start.ts before the app: it cannot import session.server's cookie)
  { noun: "session", file: "app/models/demo.server.ts", why: "disabled demo accounts' sessions end" },
  { noun: "emailToken", file: "app/models/demo.server.ts", why: "disabled demo accounts' links die" },
];

export interface Write {
  noun: string;
  file: string;
  line: number;
  kind: "prisma" | "sql";
}

function camel(table: string): string {
  return table[0].toLowerCase() + table.slice(1);
}

function kebab(noun: string): string {
  return noun.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function ownersOf(noun: string): string[] {
  return OWNERS[noun] ?? [`app/models/${kebab(noun)}.server.ts`];
}

/** Model names from the Prisma schema, so that raw SQL on temporary tables is not taken for a noun. */
export function modelNames(schema: string): Set<string> {
  return new Set([...schema.matchAll(/^model\s+(\w+)\s*\{/gm)].map((m) => camel(m[1])));
}

function sourceFiles(root: string, dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sourceFiles(root, rel);
    return /\.(ts|tsx|mjs|js)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/** Every write in `app/` under `root`. */
export function scanWrites(root: string): Write[] {
  const models = modelNames(readFileSync(path.join(root, "prisma/schema.prisma"), "utf8"));
  const writes: Write[] = [];
  for (const file of sourceFiles(root, "app")) {
    const text = readFileSync(path.join(root, file), "utf8");
    for (const m of text.matchAll(PRISMA_WRITE)) {
      if (models.has(m[1])) writes.push({ noun: m[1], file, line: lineOf(text, m.index), kind: "prisma" });
    }
    for (const m of text.matchAll(RAW_WRITE)) {
      const noun = camel(m[1]);
      if (models.has(noun)) writes.push({ noun, file, line: lineOf(text, m.index), kind: "sql" });
    }
  }
  return writes.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Writes neither in the noun's own model nor on the allow-list. */
export function violations(writes: Write[]): Write[] {
  return writes.filter((w) => !ownersOf(w.noun).includes(w.file) && !ALLOWED.some((a) => a.noun === w.noun && a.file === w.file));
}

function report(writes: Write[]): string {
  const bad = new Set(violations(writes));
  const byNoun = new Map<string, Write[]>();
  for (const w of writes) byNoun.set(w.noun, [...(byNoun.get(w.noun) ?? []), w]);
  const lines: string[] = [];
  for (const noun of [...byNoun.keys()].sort()) {
    lines.push(`${noun}  (model: ${ownersOf(noun).join(", ")})`);
    const files = new Map<string, Write[]>();
    for (const w of byNoun.get(noun)!) files.set(w.file, [...(files.get(w.file) ?? []), w]);
    for (const [file, ws] of files) {
      const mark = ws.some((w) => bad.has(w)) ? "  ✗ outside its model:" : ownersOf(noun).includes(file) ? "   " : "  ~ allowed:";
      const allowed = ALLOWED.find((a) => a.noun === noun && a.file === file);
      lines.push(`${mark} ${file} (${ws.length}: lines ${ws.map((w) => w.line).join(", ")})${allowed && !ws.some((w) => bad.has(w)) ? ` — ${allowed.why}` : ""}`);
    }
  }
  return lines.join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const writes = scanWrites(root);
  console.log(report(writes));
  const bad = violations(writes);
  if (bad.length) {
    console.error(`\n${bad.length} write(s) outside the noun's model:`);
    for (const w of bad) console.error(`  ${w.file}:${w.line}  ${w.noun}`);
    process.exit(1);
  }
  console.log(`\nevery write goes through its noun's model (${writes.length} writes, ${new Set(writes.map((w) => w.noun)).size} nouns)`);
}
