import { translator } from "~/i18n/locale.server";
import type { Locale, MessageKey } from "~/i18n/messages";
import { bodyToMarkdown } from "~/lexical/to-markdown";
import { isCoordinator } from "~/utils/auth.server";
import { dashboardTables } from "~/utils/dashboard-tables";
import { formatDate, formatDateTime } from "~/utils/dates";
import { parseList } from "~/utils/json";
import type { SessionUser } from "~/utils/session.server";
import { listAlliances } from "../alliance.server";
import { dashboardFigures, defaultFilters, parseDashboardFilters } from "../dashboard.server";
import { listIndustries } from "../industry.server";
import { needFilterFrom, patentFilterFrom, peopleFilterFrom, resultFilterFrom, studioFilterFrom } from "../list-filters.server";
import { listNeedsPage, needTimelines } from "../need-loop.server";
import { listPatents } from "../patent.server";
import { listPeople, peopleForSheet } from "../person.server";
import { listResults, resultViewer } from "../result.server";
import { listStudios, studiosForSheet } from "../studio.server";
import { COLUMNS, needRaw, personRaw, studioRaw, toCell, type CellValue, type ImportNoun, type Raw, type SheetContext, type Translate } from "./columns.server";
import type { Table } from "./workbook.server";

// 导出: every list page as a spreadsheet, with the filters of its query string. Each export reads
// its rows through the very model call its page makes (listStudios, listResults, listNeedsPage …),
// so it holds exactly what the reader could see on the page — alliance-only results only for
// those the visibility rule lets see them — and never applies a rule of its own.

export const EXPORT_LISTS = ["studios", "results", "patents", "needs", "people", "alliances", "dashboard"] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];

type Tr = Translate & { locale: Locale };

/** A list column as a route gets it (decoded by the model), or still JSON where a read leaves it so. */
const listOf = (v: string | string[]) => (typeof v === "string" ? parseList(v) : v);

/** The tables of one list for `user`; null when the user may not see the list at all (the dashboard). */
export async function exportTables(list: ExportList, user: SessionUser | null, params: URLSearchParams, locale: Locale): Promise<Table[] | null> {
  const t: Tr = Object.assign(translator(locale), { locale });
  const industries = await listIndustries();
  const ctx: SheetContext = { locale, industries, studioNames: new Map() };
  switch (list) {
    case "studios": {
      const { studios } = await listStudios(await resultViewer(user), { ...studioFilterFrom(params), perPage: Infinity });
      const details = new Map((await studiosForSheet(studios.map((s) => s.id))).map((s) => [s.id, s]));
      const rows = studios.map((s) => ({
        ...studioRaw({ ...details.get(s.id)!, bodyMarkdown: bodyToMarkdown(s.body) }),
        results: s._count.results,
        patents: s._count.patents,
      }));
      return [nounTable("studios", rows, t, ctx)];
    }
    case "people": {
      const viewer = await resultViewer(user);
      const { people } = await listPeople({ ...(await peopleFilterFrom(params)), perPage: Infinity });
      const details = new Map(
        (
          await peopleForSheet(
            viewer,
            people.map((p) => p.id),
          )
        ).map((p) => [p.id, p]),
      );
      const rows = people.map((p) => {
        const d = details.get(p.id)!;
        ctx.studioNames.set(d.studio.slug, d.studio.name);
        return { ...personRaw({ ...d, results: d.resultLinks.map((l) => l.result.slug) }), enterprise: d.studio.enterprise.name };
      });
      return [nounTable("people", rows, t, ctx)];
    }
    case "needs": {
      const { rows: needs } = await listNeedsPage(user, { ...needFilterFrom(params), perPage: Infinity });
      const rows = needs.map((n) => ({ ...needRaw({ ...n, bodyMarkdown: bodyToMarkdown(n.body) }), district: n.district, postedOn: formatDate(n.createdAt) }));
      const titles = new Map(needs.map((n) => [n.id, n]));
      const events = await needTimelines(needs.map((n) => n.id));
      const timeline: Table = {
        name: t("sheets.sheet.timeline"),
        columns: [
          { header: t("sheets.col.slug"), width: 24 },
          { header: t("sheets.col.needTitle"), width: 30 },
          { header: t("sheets.col.step"), width: 14 },
          { header: t("sheets.col.status"), width: 10 },
          { header: t("sheets.col.studio"), width: 28 },
          { header: t("sheets.col.actor"), width: 12 },
          { header: t("sheets.col.at"), width: 18 },
          { header: t("sheets.col.note"), width: 40 },
        ],
        rows: events.map((e) => {
          const d = e.detail as { note?: unknown; reason?: unknown; comment?: unknown };
          const note = [d.note, d.reason, d.comment].filter((x): x is string => typeof x === "string" && x.trim() !== "").join("；");
          return [
            titles.get(e.needId)!.slug,
            titles.get(e.needId)!.title,
            label(t, `loop.step.${e.step}`),
            label(t, `needStatus.${e.to}`),
            e.studio?.name ?? "",
            e.actor ?? "",
            formatDateTime(e.at),
            note,
          ];
        }),
      };
      return [nounTable("needs", rows, t, ctx), timeline];
    }
    case "results": {
      const { results } = await listResults(await resultViewer(user), { ...resultFilterFrom(params), perPage: Infinity });
      const industry = (key: string) => toCell({ id: "industry", header: "sheets.col.industry", kind: "industry" }, key, t, ctx);
      return [
        {
          name: t("sheets.sheet.results"),
          columns: [
            { header: t("sheets.col.slug"), width: 24 },
            { header: t("sheets.col.resultTitle"), width: 32 },
            { header: t("sheets.col.studio"), width: 28 },
            { header: t("sheets.col.enterprise"), width: 28 },
            { header: t("sheets.col.kind"), width: 10 },
            { header: t("sheets.col.industry"), width: 16 },
            { header: t("sheets.col.resultStatus"), width: 10 },
            { header: t("sheets.col.year"), width: 8 },
            { header: t("sheets.col.tags"), width: 24 },
            { header: t("sheets.col.benefits"), width: 40 },
            { header: t("sheets.col.adopters"), width: 28 },
            { header: t("sheets.col.awards"), width: 24 },
            { header: t("sheets.col.visibility"), width: 12 },
          ],
          rows: results.map((r) => [
            r.slug,
            r.title,
            r.studio.name,
            r.studio.enterprise.name,
            label(t, `kind.${r.kind}`),
            industry(r.industryKey),
            label(t, `resultStatus.${r.status}`),
            r.year,
            listOf(r.tags).join("、"),
            listOf(r.benefits).join("\n"),
            listOf(r.adopters).join("、"),
            listOf(r.awards).join("、"),
            t(r.visibility === "alliance" ? "sheets.visibility.alliance" : "sheets.visibility.public"),
          ]),
        },
      ];
    }
    case "patents": {
      const { patents } = await listPatents(await resultViewer(user), { ...patentFilterFrom(params), perPage: Infinity });
      return [
        {
          name: t("sheets.sheet.patents"),
          columns: [
            { header: t("sheets.col.number"), width: 22 },
            { header: t("sheets.col.patentTitle"), width: 36 },
            { header: t("sheets.col.patentKind"), width: 12 },
            { header: t("sheets.col.patentStatus"), width: 10 },
            { header: t("sheets.col.studio"), width: 28 },
            { header: t("sheets.col.enterprise"), width: 28 },
            { header: t("sheets.col.filed"), width: 12 },
            { header: t("sheets.col.granted"), width: 12 },
          ],
          rows: patents.map((p) => [
            p.number,
            p.title,
            label(t, `patentKind.${p.kind}`),
            label(t, `patentStatus.${p.status}`),
            p.studio.name,
            p.studio.enterprise.name,
            p.filedOn,
            p.grantedOn ?? "",
          ]),
        },
      ];
    }
    case "alliances": {
      const alliances = await listAlliances();
      return [
        {
          name: t("sheets.sheet.alliances"),
          columns: [
            { header: t("sheets.col.slug"), width: 24 },
            { header: t("sheets.col.allianceName"), width: 30 },
            { header: t("sheets.col.theme"), width: 30 },
            { header: t("sheets.col.studiosCount"), width: 12 },
            { header: t("sheets.col.enterprisesCount"), width: 12 },
            { header: t("sheets.col.projectsCount"), width: 12 },
          ],
          rows: alliances.map((a) => [a.slug, a.name, a.theme, a.members.length, new Set(a.members.map((m) => m.studio.enterpriseId)).size, a._count.projects]),
        },
      ];
    }
    case "dashboard": {
      if (!isCoordinator(user)) return null;
      const now = new Date();
      const parsed = await parseDashboardFilters(params, now);
      const figures = await dashboardFigures(parsed.ok ? parsed.filters : defaultFilters(now), { now });
      const period = t("dashboard.reportFor", { from: figures.filters.from, to: figures.filters.to });
      return dashboardTables(figures, t).map((table) => ({
        name: table.caption,
        caption: `${table.caption} · ${period}`,
        columns: table.head.map((header, i) => ({ header, width: i === 0 ? 30 : 14 })),
        rows: table.rows.map((r) => r.map((c) => (typeof c === "object" ? c.text : c))),
      }));
    }
  }
}

/** An importable noun's sheet: its columns, in the reader's language, the read-only ones last. */
function nounTable(noun: ImportNoun, rows: Raw[], t: Tr, ctx: SheetContext): Table {
  const columns = COLUMNS[noun];
  return {
    name: t(`sheets.sheet.${noun}`),
    columns: columns.map((c) => ({ header: t(c.header), width: c.width })),
    rows: rows.map((r) => columns.map((c): CellValue => toCell(c, r[c.id], t, ctx))),
  };
}

const label = (t: Translate, key: string) => t(key as MessageKey) ?? key;
