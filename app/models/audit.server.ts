import { db } from "~/utils/db.server";

// The audit log (/admin/audit): the Activity rows, filtered and paged, for site admins. Admin
// actions carry the value before and after the change (JSON objects of field → value), which are
// given back as a list of changes for the page to render in the reader's language.

export const AUDIT_PER_PAGE = 30;

export interface AuditFilters {
  /** words of the actor's name or email */
  actor?: string;
  verb?: string;
  subject?: string;
  /** YYYY-MM-DD, China time, inclusive */
  from?: string;
  to?: string;
  page?: number;
}

export type AuditValue = string | number | boolean | null;
export interface AuditChange {
  field: string;
  before: AuditValue;
  after: AuditValue;
}

// dates on the site are China Standard Time (app/utils/dates.ts)
const dayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);

function parseValues(json: string | null): Record<string, AuditValue> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, AuditValue>) : {};
  } catch {
    return {};
  }
}

/** The changes an Activity row records, field by field, in the order the fields first appear. */
export function changesOf(before: string | null, after: string | null): AuditChange[] {
  const b = parseValues(before);
  const a = parseValues(after);
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const show = (v: unknown): AuditValue => (v === undefined ? null : typeof v === "object" && v !== null ? JSON.stringify(v) : (v as AuditValue));
  return fields.map((field) => ({ field, before: show(b[field]), after: show(a[field]) }));
}

/** A page of the log, newest first, with what the filters can choose from; null for anyone but a site admin. */
export async function listAudit(viewer: { role: string } | null, f: AuditFilters = {}) {
  if (viewer?.role !== "admin") return null;
  const words = (f.actor ?? "")
    .trim()
    .split(/[\s\u3000]+/)
    .filter(Boolean)
    .slice(0, 5);
  const createdAt = {
    ...(f.from ? { gte: dayStart(f.from) } : {}),
    ...(f.to ? { lt: new Date(dayStart(f.to).getTime() + 86_400_000) } : {}),
  };
  const where = {
    ...(f.verb ? { verb: f.verb } : {}),
    ...(f.subject ? { subjectType: f.subject } : {}),
    ...(f.from || f.to ? { createdAt } : {}),
    ...(words.length ? { actor: { AND: words.map((w) => ({ OR: [{ name: { contains: w } }, { email: { contains: w.toLowerCase() } }] })) } } : {}),
  };
  const [total, verbs, subjects] = await Promise.all([
    db.activity.count({ where }),
    db.activity.findMany({ distinct: ["verb"], select: { verb: true }, orderBy: { verb: "asc" } }),
    db.activity.findMany({ distinct: ["subjectType"], select: { subjectType: true }, orderBy: { subjectType: "asc" } }),
  ]);
  const pages = Math.max(1, Math.ceil(total / AUDIT_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(f.page ?? 1)), pages);
  const rows = await db.activity.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * AUDIT_PER_PAGE,
    take: AUDIT_PER_PAGE,
    include: { actor: { select: { name: true, email: true } } },
  });
  return {
    entries: rows.map((a) => ({
      id: a.id,
      at: a.createdAt.toISOString(),
      actor: a.actor ? { name: a.actor.name, email: a.actor.email } : null,
      verb: a.verb,
      subjectType: a.subjectType,
      subjectId: a.subjectId,
      summary: a.summary,
      changes: changesOf(a.before, a.after),
    })),
    total,
    page,
    pages,
    verbs: verbs.map((v) => v.verb),
    subjects: subjects.map((s) => s.subjectType),
  };
}
