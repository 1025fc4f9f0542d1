import { z } from "zod";
import { LEVELS, NEED_PATH, RESULT_STATUSES, SECTORS } from "~/content/enums";
import { translator } from "~/i18n/locale.server";
import type { Locale } from "~/i18n/messages";
import { barChart, funnelChart, lineChart, loadCharts, pieChart } from "~/utils/charts.server";
import { db, type Tx } from "~/utils/db.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";
import { parseList } from "~/utils/json";
import { CONFIRMED_ADOPTION } from "./adoption.server";
import { reuseCount } from "./alliance.server";
import { EVERY_STUDIO_VIEWER, resultVisibleTo, type ResultViewer } from "./result-visibility";
import { isOverdue, OVERDUE_DAYS } from "./need-loop.server";

// The coordinator's dashboard (issue 13 item 4): the figures the Zhengzhou report gives once a year,
// live. Stocks (studios, results, alliances, joint projects) are counted as they stand, narrowed by
// industry; flows (needs posted, activity, 送技 deliveries) are counted inside the period too.
// Overdue needs are the ones waiting now, whenever they were posted. Months are China time (UTC+8).

const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
/** The longest period the page draws, so a typed range cannot ask for centuries of months. */
export const MAX_MONTHS = 60;
const TOP = 5;
/** Only coordinators and site admins open the dashboard (routes/dashboard.tsx): they see every published result. */
const COORDINATOR_VIEW: ResultViewer = EVERY_STUDIO_VIEWER;

export interface DashboardFilters {
  from: string; // YYYY-MM
  to: string; // YYYY-MM, inclusive
  industry: string | null;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthOfIndex = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
/** The month a moment falls in, in China time. */
export const monthOf = (d: Date) => new Date(d.getTime() + CST_OFFSET_MS).toISOString().slice(0, 7);
/** The first moment of a month in China time. */
const monthStart = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 1) - CST_OFFSET_MS);
const nextMonth = (m: string) => monthOfIndex(monthIndex(m) + 1);

/** The last twelve months up to and including the current one. */
export function defaultFilters(now = new Date()): DashboardFilters {
  const to = monthOf(now);
  return { from: monthOfIndex(monthIndex(to) - 11), to, industry: null };
}

const month = z.string().trim().regex(MONTH, "dashboard.error.month");
export const DashboardFilterSchema = z.object({ from: month, to: month, industry: z.string().trim().max(80).optional() }).superRefine((v, ctx) => {
  if (!MONTH.test(v.from) || !MONTH.test(v.to)) return; // already reported on the field
  if (monthIndex(v.from) > monthIndex(v.to)) ctx.addIssue({ code: "custom", path: ["to"], message: "dashboard.error.order" });
  else if (monthIndex(v.to) - monthIndex(v.from) + 1 > MAX_MONTHS) ctx.addIssue({ code: "custom", path: ["to"], message: "dashboard.error.span" });
});

export type FilterOutcome = { ok: true; filters: DashboardFilters; values: Record<string, string> } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/**
 * The filters from the page's query string. Absent fields take the defaults; a month that is not a
 * month, a range that runs backwards or is too long, or an industry not in the taxonomy comes back
 * as an error on its field, with what was typed.
 */
export async function parseDashboardFilters(params: URLSearchParams, now = new Date(), client: Tx = db): Promise<FilterOutcome> {
  const d = defaultFilters(now);
  const form = new FormData();
  form.set("from", params.get("from")?.trim() || d.from);
  form.set("to", params.get("to")?.trim() || d.to);
  form.set("industry", params.get("industry")?.trim() ?? "");
  const parsed = parseForm(DashboardFilterSchema, form);
  if (!parsed.ok) return parsed;
  const industry = parsed.data.industry || null;
  if (industry && !(await client.industry.findUnique({ where: { key: industry }, select: { key: true } }))) {
    return { ok: false, errors: { industry: "dashboard.error.industry" }, values: parsed.values };
  }
  return { ok: true, filters: { from: parsed.data.from, to: parsed.data.to, industry }, values: parsed.values };
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);
const round1 = (x: number) => Math.round(x * 10) / 10;
function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export type FunnelStep = (typeof NEED_PATH)[number];

/** Everything the dashboard shows, as plain data. `client` lets a test point it at a database of its own. */
export async function dashboardFigures(filters: DashboardFilters, o: { now?: Date; client?: Tx } = {}) {
  const now = o.now ?? new Date();
  const client = o.client ?? db;
  const start = monthStart(filters.from);
  const end = monthStart(nextMonth(filters.to));
  const inPeriod = (d: Date) => d >= start && d < end;
  const industry = filters.industry;
  const byIndustry = industry ? { industryKey: industry } : {};
  const studioInIndustry = industry ? { studio: { industryKey: industry } } : {};

  const [studios, industries, results, alliances, projects, needs, activities, deliveries] = await Promise.all([
    client.studio.findMany({ where: byIndustry, select: { level: true, sector: true, industryKey: true } }),
    client.industry.findMany({ orderBy: { sortOrder: "asc" } }),
    client.result.findMany({
      where: resultVisibleTo(COORDINATOR_VIEW, byIndustry),
      select: {
        slug: true,
        title: true,
        status: true,
        adopters: true,
        adoptions: { where: CONFIRMED_ADOPTION, select: { enterprise: { select: { name: true } } } },
        studio: { select: { enterprise: { select: { name: true } } } },
      },
    }),
    client.alliance.findMany({
      where: industry ? { members: { some: { state: "accepted", ...studioInIndustry } } } : {},
      select: { members: { where: { state: "accepted" }, select: { studio: { select: { enterpriseId: true } } } } },
    }),
    client.jointProject.findMany({
      where: { status: { not: "cancelled" }, ...(industry ? { participants: { some: studioInIndustry } } : {}) },
      select: { participants: { select: { studio: { select: { enterpriseId: true } } } } },
    }),
    client.need.findMany({
      where: { status: { not: "draft" }, ...byIndustry },
      select: {
        slug: true,
        title: true,
        status: true,
        statusAt: true,
        createdAt: true,
        rating: true,
        events: { select: { toStatus: true, createdAt: true }, orderBy: { createdAt: "asc" } },
      },
    }),
    client.activity.findMany({ where: { createdAt: { gte: start, lt: end }, ...studioInIndustry }, select: { createdAt: true } }),
    client.delivery.findMany({
      where: { date: { gte: `${filters.from}-01`, lt: `${nextMonth(filters.to)}-01` }, ...(industry ? { dispatch: studioInIndustry } : {}) },
      select: { needId: true, hours: true, people: true, dispatch: { select: { studio: { select: { id: true, slug: true, name: true } } } } },
    }),
  ]);

  // ── studios ──
  const countBy = <T extends string>(keys: readonly T[], values: string[]) => keys.map((key) => ({ key, count: values.filter((v) => v === key).length }));
  const sectorCounts = countBy(
    SECTORS,
    studios.map((s) => s.sector),
  );
  const leadingEmerging = sectorCounts.filter((s) => s.key !== "traditional").reduce((n, s) => n + s.count, 0);
  const studioFigures = {
    total: studios.length,
    byLevel: countBy(
      LEVELS,
      studios.map((s) => s.level),
    ),
    bySector: sectorCounts,
    byIndustry: industries
      .map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn, sector: i.sector, count: studios.filter((s) => s.industryKey === i.key).length }))
      .filter((i) => i.count > 0)
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
    leadingEmerging,
    leadingEmergingShare: share(leadingEmerging, studios.length),
  };

  // ── alliances and joint projects: cross-enterprise when their studios come from two enterprises or more ──
  const crossEnterprise = (rows: { studio: { enterpriseId: string } }[]) => new Set(rows.map((r) => r.studio.enterpriseId)).size >= 2;
  const crossAlliances = alliances.filter((a) => crossEnterprise(a.members)).length;
  const crossProjects = projects.filter((p) => crossEnterprise(p.participants)).length;
  const collaboration = {
    alliances: alliances.length,
    crossAlliances,
    crossAllianceShare: share(crossAlliances, alliances.length),
    projects: projects.length,
    crossProjects,
    crossProjectShare: share(crossProjects, projects.length),
  };

  // ── results: by status, and how many other enterprises reuse each (已被 N 家企业复用) ──
  const reuse = results.map((r) => ({ slug: r.slug, title: r.title, enterprises: reuseCount(r.adopters, r.adoptions, r.studio.enterprise.name) }));
  const reused = reuse.filter((r) => r.enterprises > 0);
  const resultFigures = {
    total: results.length,
    byStatus: countBy(
      RESULT_STATUSES,
      results.map((r) => r.status),
    ),
    reused: reused.length,
    transferRate: share(reused.length, results.length),
    mostReused: reused.sort((a, b) => b.enterprises - a.enterprises || a.title.localeCompare(b.title, "zh-CN")).slice(0, TOP),
  };

  // ── needs: the funnel of those posted in the period, with the median days from each step to the next ──
  const postedAt = (n: (typeof needs)[number]) => n.events.find((e) => e.toStatus === "open")?.createdAt ?? n.createdAt;
  const scoped = needs.filter((n) => inPeriod(postedAt(n)));
  const pathIndex = (s: string) => (NEED_PATH as readonly string[]).indexOf(s);
  const reachedSteps = scoped.map((n) => {
    // when the need first entered each step of the path; imported needs carry no events, only a status
    const entered: (Date | null)[] = NEED_PATH.map(() => null);
    entered[0] = postedAt(n);
    for (const e of n.events) {
      const i = pathIndex(e.toStatus);
      if (i > 0 && !entered[i]) entered[i] = e.createdAt;
    }
    const furthest = Math.max(pathIndex(n.status), ...entered.map((d, i) => (d ? i : 0)));
    return { entered, furthest };
  });
  const funnel = NEED_PATH.map((step, i) => {
    const days =
      i === 0
        ? []
        : reachedSteps.flatMap(({ entered }) => {
            const from = entered[i - 1],
              to = entered[i];
            return from && to ? [(to.getTime() - from.getTime()) / DAY_MS] : [];
          });
    const m = median(days);
    return { step: step as FunnelStep, count: reachedSteps.filter((r) => r.furthest >= i).length, medianDays: i === 0 || m === null ? null : round1(m) };
  });
  const rated = scoped.filter((n) => n.rating !== null).map((n) => n.rating as number);
  const overdue = needs
    .filter((n) => isOverdue(n, now))
    .map((n) => ({ slug: n.slug, title: n.title, status: n.status, days: Math.floor((now.getTime() - n.statusAt.getTime()) / DAY_MS) }))
    .sort((a, b) => b.days - a.days || a.slug.localeCompare(b.slug));
  const needFigures = {
    posted: scoped.length,
    withdrawn: scoped.filter((n) => n.status === "withdrawn").length,
    funnel,
    overdueDays: OVERDUE_DAYS,
    overdue: overdue.length,
    overdueList: overdue.slice(0, 10),
    rating: { count: rated.length, average: rated.length ? Math.round((rated.reduce((a, b) => a + b, 0) / rated.length) * 100) / 100 : null },
  };

  // ── activity per month, every month of the period, empty ones too ──
  const perMonth = new Map<string, number>();
  for (const a of activities) perMonth.set(monthOf(a.createdAt), (perMonth.get(monthOf(a.createdAt)) ?? 0) + 1);
  const months: { month: string; count: number }[] = [];
  for (let i = monthIndex(filters.from); i <= monthIndex(filters.to); i++) months.push({ month: monthOfIndex(i), count: perMonth.get(monthOfIndex(i)) ?? 0 });

  // ── 送技: the studios and people who went out most in the period ──
  const studioTally = new Map<string, { slug: string; name: string; deliveries: number; hours: number; needs: Set<string> }>();
  const personTally = new Map<string, { deliveries: number; hours: number }>();
  for (const d of deliveries) {
    const s = d.dispatch.studio;
    const t = studioTally.get(s.id) ?? { slug: s.slug, name: s.name, deliveries: 0, hours: 0, needs: new Set<string>() };
    t.deliveries++;
    t.hours += d.hours;
    t.needs.add(d.needId);
    studioTally.set(s.id, t);
    for (const p of new Set(parseList(d.people))) {
      const pt = personTally.get(p) ?? { deliveries: 0, hours: 0 };
      pt.deliveries++;
      pt.hours += d.hours;
      personTally.set(p, pt);
    }
  }
  const people = await client.person.findMany({ where: { id: { in: [...personTally.keys()] } }, select: { id: true, name: true, studio: { select: { slug: true, name: true } } } });
  const busiest = <T extends { deliveries: number; hours: number; name: string }>(rows: T[]) =>
    rows.sort((a, b) => b.deliveries - a.deliveries || b.hours - a.hours || a.name.localeCompare(b.name, "zh-CN")).slice(0, TOP);
  const delivery = {
    deliveries: deliveries.length,
    hours: round1(deliveries.reduce((h, d) => h + d.hours, 0)),
    topStudios: busiest([...studioTally.values()].map((t) => ({ slug: t.slug, name: t.name, deliveries: t.deliveries, hours: round1(t.hours), needs: t.needs.size }))),
    topPeople: busiest(
      people.map((p) => ({ name: p.name, studio: p.studio.name, studioSlug: p.studio.slug, ...personTally.get(p.id)!, hours: round1(personTally.get(p.id)!.hours) })),
    ),
  };

  return { filters, studios: studioFigures, collaboration, results: resultFigures, needs: needFigures, activity: { total: activities.length, months }, delivery };
}

export type DashboardFigures = Awaited<ReturnType<typeof dashboardFigures>>;

/** The industries for the filter's list, in the taxonomy's order. */
export function dashboardIndustries(client: Tx = db) {
  return client.industry.findMany({ orderBy: { sortOrder: "asc" }, select: { key: true, nameZh: true, nameEn: true } });
}

/**
 * The dashboard's charts as SVG markup in the visitor's language, drawn on the server; the page puts
 * each beside a table of the same numbers. Keys are the charts' ids on the page.
 */
export async function dashboardCharts(f: DashboardFigures, locale: Locale) {
  await loadCharts();
  const t = translator(locale);
  const name = (i: { nameZh: string; nameEn: string }) => (locale === "en" ? i.nameEn : i.nameZh);
  const days = (n: number) => t("dashboard.days", { n });
  return {
    level: barChart({ id: "chart-level", title: t("dashboard.byLevel"), data: f.studios.byLevel.map((l) => ({ label: t(`level.${l.key}`), value: l.count })) }),
    sector: pieChart({ id: "chart-sector", title: t("dashboard.bySector"), data: f.studios.bySector.map((s) => ({ label: t(`sector.${s.key}`), value: s.count })) }),
    industry: barChart({ id: "chart-industry", title: t("dashboard.byIndustry"), horizontal: true, data: f.studios.byIndustry.map((i) => ({ label: name(i), value: i.count })) }),
    collaboration: barChart({
      id: "chart-collaboration",
      title: t("dashboard.crossShare"),
      format: (v) => `${v}%`,
      data: [
        { label: t("dashboard.alliances"), value: Math.round((f.collaboration.crossAllianceShare ?? 0) * 1000) / 10 },
        { label: t("dashboard.projects"), value: Math.round((f.collaboration.crossProjectShare ?? 0) * 1000) / 10 },
      ],
      height: 240,
    }),
    resultStatus: pieChart({
      id: "chart-result-status",
      title: t("dashboard.resultsByStatus"),
      data: f.results.byStatus.map((s) => ({ label: t(`resultStatus.${s.key}`), value: s.count })),
    }),
    funnel: funnelChart({ id: "chart-funnel", title: t("dashboard.funnel"), data: f.needs.funnel.map((s) => ({ label: t(`dashboard.stepName.${s.step}`), value: s.count })) }),
    medianDays: barChart({
      id: "chart-median-days",
      title: t("dashboard.medianDays"),
      format: days,
      height: 240,
      data: f.needs.funnel.slice(1).map((s) => ({ label: t(`dashboard.stepName.${s.step}`), value: s.medianDays ?? 0 })),
    }),
    activity: lineChart({ id: "chart-activity", title: t("dashboard.activity"), data: f.activity.months.map((m) => ({ label: m.month, value: m.count })) }),
    topStudios: barChart({
      id: "chart-top-studios",
      title: t("dashboard.topStudios"),
      horizontal: true,
      data: f.delivery.topStudios.map((s) => ({ label: s.name, value: s.deliveries })),
    }),
    topPeople: barChart({
      id: "chart-top-people",
      title: t("dashboard.topPeople"),
      horizontal: true,
      data: f.delivery.topPeople.map((p) => ({ label: p.name, value: p.deliveries })),
    }),
  };
}
export type DashboardCharts = Awaited<ReturnType<typeof dashboardCharts>>;
