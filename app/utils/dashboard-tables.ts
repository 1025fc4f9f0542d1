import type { MessageKey } from "~/i18n/messages";
import type { DashboardFigures } from "~/models/dashboard.server";

// The dashboard's tables of numbers, in the reader's language: the page draws each beside its
// chart, and the dashboard's spreadsheet export writes each as a sheet. One definition for both.

export type TableCell = string | number | { text: string; href: string };
export interface FigureTable {
  id: string;
  caption: string;
  head: string[];
  rows: TableCell[][];
}

type T = ((key: MessageKey, vars?: Record<string, string | number>) => string) & { locale: string };

export const percent = (x: number | null) => (x === null ? "—" : `${(Math.round(x * 1000) / 10).toFixed(1)}%`);

export function dashboardTables(f: DashboardFigures, t: T): FigureTable[] {
  const industryName = (i: { nameZh: string; nameEn: string }) => (t.locale === "en" ? i.nameEn : i.nameZh);
  const none = t("dashboard.none");
  const days = (n: number | null) => (n === null ? none : t("dashboard.days", { n }));
  return [
    {
      id: "level",
      caption: t("dashboard.byLevel"),
      head: [t("dashboard.kind"), t("dashboard.count")],
      rows: f.studios.byLevel.map((l) => [t(`level.${l.key}` as MessageKey), l.count]),
    },
    {
      id: "sector",
      caption: t("dashboard.bySector"),
      head: [t("dashboard.kind"), t("dashboard.count"), t("dashboard.share")],
      rows: f.studios.bySector.map((s) => [t(`sector.${s.key}` as MessageKey), s.count, percent(f.studios.total ? s.count / f.studios.total : null)]),
    },
    {
      id: "industry",
      caption: t("dashboard.byIndustry"),
      head: [t("dashboard.industry"), t("dashboard.kind"), t("dashboard.count")],
      rows: f.studios.byIndustry.map((i) => [industryName(i), t(`sector.${i.sector}` as MessageKey), i.count]),
    },
    {
      id: "collaboration",
      caption: t("dashboard.crossShare"),
      head: [t("dashboard.kind"), t("dashboard.total"), t("dashboard.cross"), t("dashboard.share")],
      rows: [
        [t("dashboard.alliances"), f.collaboration.alliances, f.collaboration.crossAlliances, percent(f.collaboration.crossAllianceShare)],
        [t("dashboard.projects"), f.collaboration.projects, f.collaboration.crossProjects, percent(f.collaboration.crossProjectShare)],
      ],
    },
    {
      id: "resultStatus",
      caption: t("dashboard.resultsByStatus"),
      head: [t("result.status"), t("dashboard.count")],
      rows: f.results.byStatus.map((s) => [t(`resultStatus.${s.key}` as MessageKey), s.count]),
    },
    {
      id: "mostReused",
      caption: t("dashboard.mostReused"),
      head: [t("dashboard.results"), t("dashboard.reuse")],
      rows: f.results.mostReused.map((r) => [{ text: r.title, href: `/results/${r.slug}` }, t("dashboard.reusedBy", { n: r.enterprises })]),
    },
    {
      id: "funnel",
      caption: t("dashboard.funnel"),
      head: [t("dashboard.step"), t("dashboard.needCount"), t("dashboard.medianDays")],
      rows: f.needs.funnel.map((s) => [t(`dashboard.stepName.${s.step}` as MessageKey), s.count, days(s.medianDays)]),
    },
    {
      id: "medianDays",
      caption: t("dashboard.medianDays"),
      head: [t("dashboard.step"), t("dashboard.medianDays")],
      rows: f.needs.funnel.slice(1).map((s) => [t(`dashboard.stepName.${s.step}` as MessageKey), days(s.medianDays)]),
    },
    {
      id: "overdue",
      caption: t("dashboard.overdue"),
      head: [t("nav.needs"), t("need.status"), t("dashboard.waitingDays")],
      rows: f.needs.overdueList.map((n) => [{ text: n.title, href: `/needs/${n.slug}` }, t(`needStatus.${n.status}` as MessageKey), t("dashboard.days", { n: n.days })]),
    },
    {
      id: "activity",
      caption: t("dashboard.activity"),
      head: [t("dashboard.month"), t("dashboard.count")],
      rows: f.activity.months.map((m) => [m.month, m.count]),
    },
    {
      id: "topStudios",
      caption: t("dashboard.topStudios"),
      head: [t("dashboard.studio"), t("dashboard.deliveries"), t("dashboard.hours"), t("dashboard.needsServed")],
      rows: f.delivery.topStudios.map((s) => [{ text: s.name, href: `/studios/${s.slug}` }, s.deliveries, s.hours, s.needs]),
    },
    {
      id: "topPeople",
      caption: t("dashboard.topPeople"),
      head: [t("dashboard.person"), t("dashboard.studio"), t("dashboard.deliveries"), t("dashboard.hours")],
      rows: f.delivery.topPeople.map((p) => [p.name, p.studio, p.deliveries, p.hours]),
    },
  ];
}
