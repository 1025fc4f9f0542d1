import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Field, useErrorText } from "~/components/forms";
import { ExportLinks } from "~/components/export-links";
import { PageHead } from "~/components/ui";
import { getLocale } from "~/i18n/locale.server";
import { useT } from "~/i18n/use-t";
import { countNewEnquiries } from "~/models/enquiry.server";
import { dashboardCharts, dashboardFigures, dashboardIndustries, defaultFilters, parseDashboardFilters } from "~/models/dashboard.server";
import { requireCoordinator } from "~/utils/auth.server";
import { dashboardTables, percent, type TableCell } from "~/utils/dashboard-tables";
import { pageMeta } from "~/utils/meta";
import styles from "~/styles/dashboard.css";

// The coordinator's dashboard and monthly report: figures drawn as SVG on the server, each chart
// beside a table of its numbers; the filters are a GET form, so a report is a URL.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "dashboard.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCoordinator(request);
  const now = new Date();
  const parsed = await parseDashboardFilters(new URL(request.url).searchParams, now);
  // bad filters: say so on the field, keep what was typed, and show the default period meanwhile
  const filters = parsed.ok ? parsed.filters : defaultFilters(now);
  const [figures, industries, locale, newEnquiries] = await Promise.all([dashboardFigures(filters, { now }), dashboardIndustries(), getLocale(request), countNewEnquiries(user)]);
  return data(
    { figures, charts: await dashboardCharts(figures, locale), industries, newEnquiries: newEnquiries ?? 0, errors: parsed.ok ? null : parsed.errors, values: parsed.values },
    { status: parsed.ok ? 200 : 400, headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function DashboardRoute() {
  const { figures: f, charts, industries, newEnquiries, errors, values } = useLoaderData<typeof loader>();
  const t = useT();
  const errorText = useErrorText();
  const industryName = (i: { nameZh: string; nameEn: string }) => (t.locale === "en" ? i.nameEn : i.nameZh);
  const chosen = industries.find((i) => i.key === f.filters.industry);
  const none = t("dashboard.none");
  const tables = dashboardTables(f, t);
  const tb = (id: string) => {
    const { caption, head, rows } = tables.find((x) => x.id === id)!;
    return { caption, head, rows };
  };
  return (
    <div className="dashboard">
      <PageHead title={t("dashboard.title")} lead={t("dashboard.lead")} />
      <p className="print-only report-period">
        {t("dashboard.reportFor", { from: f.filters.from, to: f.filters.to })}
        {chosen && <> · {t("dashboard.reportIndustry", { industry: industryName(chosen) })}</>}
      </p>

      <Form method="get" className="dashboard-filters no-print" aria-label={t("dashboard.filters")}>
        <Field label={t("dashboard.from")} name="from" type="month" defaultValue={values.from ?? f.filters.from} error={errors?.from} />
        <Field label={t("dashboard.to")} name="to" type="month" defaultValue={values.to ?? f.filters.to} error={errors?.to} />
        <div className={`field${errors?.industry ? " has-error" : ""}`}>
          <label htmlFor="dashboard-industry">{t("dashboard.industry")}</label>
          <select
            id="dashboard-industry"
            name="industry"
            defaultValue={values.industry ?? ""}
            aria-invalid={errors?.industry ? true : undefined}
            aria-describedby={errors?.industry ? "dashboard-industry-error" : undefined}
          >
            <option value="">{t("dashboard.industryAll")}</option>
            {industries.map((i) => (
              <option key={i.key} value={i.key}>
                {industryName(i)}
              </option>
            ))}
          </select>
          {errors?.industry && (
            <p id="dashboard-industry-error" className="field-error">
              {errorText(errors.industry)}
            </p>
          )}
        </div>
        <div className="filter-actions">
          <button type="submit" className="button">
            {t("dashboard.apply")}
          </button>
          <button type="button" className="button secondary" onClick={() => window.print()}>
            {t("dashboard.print")}
          </button>
        </div>
      </Form>
      <p className="muted no-print">{t("dashboard.periodNote")}</p>
      <ExportLinks list="dashboard" />
      <p className="no-print">
        <Link to="/admin/import">{t("sheets.import.link")}</Link>
      </p>

      <dl className="figures dashboard-figures">
        <div>
          <dt>{t("dashboard.studios")}</dt>
          <dd>{f.studios.total}</dd>
        </div>
        <div>
          <dt>{t("dashboard.leadingShare")}</dt>
          <dd>{percent(f.studios.leadingEmergingShare)}</dd>
        </div>
        <div>
          <dt>{t("dashboard.transferRate")}</dt>
          <dd>{percent(f.results.transferRate)}</dd>
        </div>
        <div>
          <dt>{t("dashboard.overdue")}</dt>
          <dd>{f.needs.overdue}</dd>
        </div>
        <div>
          <dt>{t("enquiry.newFigure")}</dt>
          <dd>
            <Link to="/enquiries">{newEnquiries}</Link>
          </dd>
        </div>
        <div>
          <dt>{t("dashboard.rating")}</dt>
          <dd>{f.needs.rating.average ?? none}</dd>
        </div>
      </dl>

      <section className="dash-section" aria-labelledby="dash-studios">
        <h2 id="dash-studios">{t("dashboard.studios")}</h2>
        <p>
          {t("dashboard.studiosTotal", { n: f.studios.total })}
          {t.colon}
          {t("dashboard.leadingShare")} {t("dashboard.leadingShareText", { n: f.studios.leadingEmerging, share: percent(f.studios.leadingEmergingShare) })}
        </p>
        <ChartBlock svg={charts.level} {...tb("level")} />
        <ChartBlock svg={charts.sector} {...tb("sector")} />
        <ChartBlock svg={charts.industry} {...tb("industry")} empty={f.studios.byIndustry.length === 0} />
      </section>

      <section className="dash-section" aria-labelledby="dash-collaboration">
        <h2 id="dash-collaboration">{t("dashboard.collaboration")}</h2>
        <ChartBlock svg={charts.collaboration} empty={f.collaboration.alliances + f.collaboration.projects === 0} {...tb("collaboration")} />
      </section>

      <section className="dash-section" aria-labelledby="dash-results">
        <h2 id="dash-results">{t("dashboard.results")}</h2>
        <p>
          {t("dashboard.transferRate")}
          {t.colon}
          {t("dashboard.transferText", { n: f.results.reused, share: percent(f.results.transferRate) })}
        </p>
        <ChartBlock svg={charts.resultStatus} {...tb("resultStatus")} />
        {f.results.mostReused.length > 0 && <DataTable {...tb("mostReused")} />}
      </section>

      <section className="dash-section" aria-labelledby="dash-needs">
        <h2 id="dash-needs">{t("dashboard.needs")}</h2>
        <p>
          {t("dashboard.posted", { n: f.needs.posted, w: f.needs.withdrawn })}
          {" · "}
          {t("dashboard.rating")}
          {t.colon}
          {f.needs.rating.average === null ? t("dashboard.noRating") : t("dashboard.ratingText", { avg: f.needs.rating.average, n: f.needs.rating.count })}
        </p>
        <ChartBlock svg={charts.funnel} {...tb("funnel")} />
        <ChartBlock svg={charts.medianDays} empty={f.needs.funnel.every((s) => s.medianDays === null)} {...tb("medianDays")} />
        <h3>{t("dashboard.overdue")}</h3>
        <p>{t("dashboard.overdueText", { n: f.needs.overdue, days: f.needs.overdueDays })}</p>
        {f.needs.overdueList.length > 0 && <DataTable {...tb("overdue")} />}
      </section>

      <section className="dash-section" aria-labelledby="dash-activity">
        <h2 id="dash-activity">{t("dashboard.activity")}</h2>
        <ChartBlock svg={charts.activity} {...tb("activity")} wide />
      </section>

      <section className="dash-section" aria-labelledby="dash-delivery">
        <h2 id="dash-delivery">{t("dashboard.delivery")}</h2>
        <p>{t("dashboard.deliveryText", { n: f.delivery.deliveries, hours: f.delivery.hours })}</p>
        <ChartBlock svg={charts.topStudios} empty={f.delivery.topStudios.length === 0} {...tb("topStudios")} />
        <ChartBlock svg={charts.topPeople} empty={f.delivery.topPeople.length === 0} {...tb("topPeople")} />
      </section>
    </div>
  );
}

type Cell = TableCell;

const cellContent = (c: Cell): ReactNode => (typeof c === "object" ? <Link to={c.href}>{c.text}</Link> : c);

/** A chart and, beside it, the table of its numbers (the table is what screen readers and print rely on). */
function ChartBlock({ svg, caption, head, rows, empty, wide }: { svg: string; caption: string; head: string[]; rows: Cell[][]; empty?: boolean; wide?: boolean }) {
  const t = useT();
  return (
    <div className={`chart-block${wide ? " wide" : ""}`}>
      {empty ? <p className="empty chart">{t("dashboard.empty")}</p> : <div className="chart" dangerouslySetInnerHTML={{ __html: svg }} />}
      <DataTable caption={caption} head={head} rows={rows} />
    </div>
  );
}

function DataTable({ caption, head, rows }: { caption: string; head: string[]; rows: Cell[][] }) {
  const t = useT();
  return (
    <div className="table-scroll">
      <table className="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={head.length}>{t("dashboard.empty")}</td>
            </tr>
          ) : (
            rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) =>
                  j === 0 ? (
                    <th key={j} scope="row">
                      {cellContent(c)}
                    </th>
                  ) : (
                    <td key={j}>{cellContent(c)}</td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
