import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Field, useErrorText } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { getLocale } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { dashboardCharts, dashboardFigures, dashboardIndustries, defaultFilters, parseDashboardFilters } from "~/models/dashboard.server";
import { requireCoordinator } from "~/utils/auth.server";
import { pageMeta } from "~/utils/meta";
import styles from "~/styles/dashboard.css";

// The coordinator's dashboard and monthly report: figures drawn as SVG on the server, each chart
// beside a table of its numbers; the filters are a GET form, so a report is a URL.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "dashboard.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireCoordinator(request);
  const now = new Date();
  const parsed = await parseDashboardFilters(new URL(request.url).searchParams, now);
  // bad filters: say so on the field, keep what was typed, and show the default period meanwhile
  const filters = parsed.ok ? parsed.filters : defaultFilters(now);
  const [figures, industries, locale] = await Promise.all([dashboardFigures(filters, { now }), dashboardIndustries(), getLocale(request)]);
  return data(
    { figures, charts: dashboardCharts(figures, locale), industries, errors: parsed.ok ? null : parsed.errors, values: parsed.values },
    { status: parsed.ok ? 200 : 400, headers: { "Cache-Control": "private, no-store" } },
  );
}

const percent = (x: number | null) => (x === null ? "—" : `${(Math.round(x * 1000) / 10).toFixed(1)}%`);

export default function DashboardRoute() {
  const { figures: f, charts, industries, errors, values } = useLoaderData<typeof loader>();
  const t = useT();
  const errorText = useErrorText();
  const industryName = (i: { nameZh: string; nameEn: string }) => (t.locale === "en" ? i.nameEn : i.nameZh);
  const chosen = industries.find((i) => i.key === f.filters.industry);
  const none = t("dashboard.none");
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
        <ChartBlock
          svg={charts.level}
          caption={t("dashboard.byLevel")}
          head={[t("dashboard.kind"), t("dashboard.count")]}
          rows={f.studios.byLevel.map((l) => [t(`level.${l.key}` as MessageKey), l.count])}
        />
        <ChartBlock
          svg={charts.sector}
          caption={t("dashboard.bySector")}
          head={[t("dashboard.kind"), t("dashboard.count"), t("dashboard.share")]}
          rows={f.studios.bySector.map((s) => [t(`sector.${s.key}` as MessageKey), s.count, percent(f.studios.total ? s.count / f.studios.total : null)])}
        />
        <ChartBlock
          svg={charts.industry}
          caption={t("dashboard.byIndustry")}
          head={[t("dashboard.industry"), t("dashboard.kind"), t("dashboard.count")]}
          rows={f.studios.byIndustry.map((i) => [industryName(i), t(`sector.${i.sector}` as MessageKey), i.count])}
          empty={f.studios.byIndustry.length === 0}
        />
      </section>

      <section className="dash-section" aria-labelledby="dash-collaboration">
        <h2 id="dash-collaboration">{t("dashboard.collaboration")}</h2>
        <ChartBlock
          svg={charts.collaboration}
          caption={t("dashboard.crossShare")}
          empty={f.collaboration.alliances + f.collaboration.projects === 0}
          head={[t("dashboard.kind"), t("dashboard.total"), t("dashboard.cross"), t("dashboard.share")]}
          rows={[
            [t("dashboard.alliances"), f.collaboration.alliances, f.collaboration.crossAlliances, percent(f.collaboration.crossAllianceShare)],
            [t("dashboard.projects"), f.collaboration.projects, f.collaboration.crossProjects, percent(f.collaboration.crossProjectShare)],
          ]}
        />
      </section>

      <section className="dash-section" aria-labelledby="dash-results">
        <h2 id="dash-results">{t("dashboard.results")}</h2>
        <p>
          {t("dashboard.transferRate")}
          {t.colon}
          {t("dashboard.transferText", { n: f.results.reused, share: percent(f.results.transferRate) })}
        </p>
        <ChartBlock
          svg={charts.resultStatus}
          caption={t("dashboard.resultsByStatus")}
          head={[t("result.status"), t("dashboard.count")]}
          rows={f.results.byStatus.map((s) => [t(`resultStatus.${s.key}` as MessageKey), s.count])}
        />
        {f.results.mostReused.length > 0 && (
          <DataTable
            caption={t("dashboard.mostReused")}
            head={[t("dashboard.results"), t("dashboard.reuse")]}
            rows={f.results.mostReused.map((r) => [
              <Link key={r.slug} to={`/results/${r.slug}`}>
                {r.title}
              </Link>,
              t("dashboard.reusedBy", { n: r.enterprises }),
            ])}
          />
        )}
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
        <ChartBlock
          svg={charts.funnel}
          caption={t("dashboard.funnel")}
          head={[t("dashboard.step"), t("dashboard.needCount"), t("dashboard.medianDays")]}
          rows={f.needs.funnel.map((s) => [t(`dashboard.stepName.${s.step}` as MessageKey), s.count, s.medianDays === null ? none : t("dashboard.days", { n: s.medianDays })])}
        />
        <ChartBlock
          svg={charts.medianDays}
          caption={t("dashboard.medianDays")}
          empty={f.needs.funnel.every((s) => s.medianDays === null)}
          head={[t("dashboard.step"), t("dashboard.medianDays")]}
          rows={f.needs.funnel.slice(1).map((s) => [t(`dashboard.stepName.${s.step}` as MessageKey), s.medianDays === null ? none : t("dashboard.days", { n: s.medianDays })])}
        />
        <h3>{t("dashboard.overdue")}</h3>
        <p>{t("dashboard.overdueText", { n: f.needs.overdue, days: f.needs.overdueDays })}</p>
        {f.needs.overdueList.length > 0 && (
          <DataTable
            caption={t("dashboard.overdue")}
            head={[t("nav.needs"), t("need.status"), t("dashboard.waitingDays")]}
            rows={f.needs.overdueList.map((n) => [
              <Link key={n.slug} to={`/needs/${n.slug}`}>
                {n.title}
              </Link>,
              t(`needStatus.${n.status}` as MessageKey),
              t("dashboard.days", { n: n.days }),
            ])}
          />
        )}
      </section>

      <section className="dash-section" aria-labelledby="dash-activity">
        <h2 id="dash-activity">{t("dashboard.activity")}</h2>
        <ChartBlock
          svg={charts.activity}
          caption={t("dashboard.activity")}
          head={[t("dashboard.month"), t("dashboard.count")]}
          rows={f.activity.months.map((m) => [m.month, m.count])}
          wide
        />
      </section>

      <section className="dash-section" aria-labelledby="dash-delivery">
        <h2 id="dash-delivery">{t("dashboard.delivery")}</h2>
        <p>{t("dashboard.deliveryText", { n: f.delivery.deliveries, hours: f.delivery.hours })}</p>
        <ChartBlock
          svg={charts.topStudios}
          caption={t("dashboard.topStudios")}
          empty={f.delivery.topStudios.length === 0}
          head={[t("dashboard.studio"), t("dashboard.deliveries"), t("dashboard.hours"), t("dashboard.needsServed")]}
          rows={f.delivery.topStudios.map((s) => [
            <Link key={s.slug} to={`/studios/${s.slug}`}>
              {s.name}
            </Link>,
            s.deliveries,
            s.hours,
            s.needs,
          ])}
        />
        <ChartBlock
          svg={charts.topPeople}
          caption={t("dashboard.topPeople")}
          empty={f.delivery.topPeople.length === 0}
          head={[t("dashboard.person"), t("dashboard.studio"), t("dashboard.deliveries"), t("dashboard.hours")]}
          rows={f.delivery.topPeople.map((p) => [p.name, p.studio, p.deliveries, p.hours])}
        />
      </section>
    </div>
  );
}

type Cell = ReactNode;

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
                      {c}
                    </th>
                  ) : (
                    <td key={j}>{c}</td>
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
