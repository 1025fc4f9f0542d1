import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { IllustrativeBadge, SEP } from "~/components/ui";
import { LEVELS, SECTORS } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { listNeeds } from "~/models/need.server";
import { latestResults, resultViewer } from "~/models/result.server";
import { headlineFigures } from "~/models/stats.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";
import { getUser } from "~/utils/session.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "home.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await resultViewer(await getUser(request));
  const [figures, results, needs] = await Promise.all([headlineFigures(viewer), latestResults(viewer, 6), listNeeds({})]);
  return {
    figures,
    results: results.map((r) => ({
      slug: r.slug,
      title: r.title,
      kind: r.kind,
      year: r.year,
      illustrative: r.illustrative,
      studio: { slug: r.studio.slug, name: r.studio.name },
      enterprise: r.studio.enterprise.name,
    })),
    needs: needs.slice(0, 4).map((n) => ({ slug: n.slug, title: n.title, status: n.status, enterprise: n.enterprise.name, illustrative: n.illustrative })),
  };
}

export default function HomeRoute() {
  const { figures, results, needs } = useLoaderData<typeof loader>();
  const t = useT();
  const max = Math.max(1, ...figures.byIndustry.map((i) => i.count));
  return (
    <>
      <section className="hero">
        <h1>{t("home.title")}</h1>
        <p className="lead">{t("home.lead")}</p>
      </section>

      <section aria-labelledby="paths" className="section">
        <h2 id="paths" className="visually-hidden">
          {t("home.paths")}
        </h2>
        <div className="paths">
          {(
            [
              ["member", "/studios"],
              ["engineer", "/results"],
              ["coordinator", "/needs"],
            ] as const
          ).map(([who, href]) => (
            <article key={who} className="card path">
              <h3>{t(`home.path.${who}.title` as MessageKey)}</h3>
              <p>{t(`home.path.${who}.text` as MessageKey)}</p>
              <Link to={href} className="button">
                {t(`home.path.${who}.cta` as MessageKey)}
              </Link>
            </article>
          ))}
        </div>
      </section>

      <section aria-labelledby="figures" className="section">
        <h2 id="figures">{t("home.figures")}</h2>
        <dl className="figures">
          {(
            [
              ["studios", "/studios"],
              ["results", "/results"],
              ["patents", "/patents"],
              ["enterprises", "/enterprises"],
              ["needs", "/needs"],
            ] as const
          ).map(([k, href]) => (
            <div key={k}>
              <dt>{t(`home.${k}` as MessageKey)}</dt>
              <dd>
                <Link to={href}>{figures.totals[k]}</Link>
              </dd>
            </div>
          ))}
        </dl>
        <div className="breakdowns">
          <div>
            <h3>{t("home.byLevel")}</h3>
            <ul className="bars">
              {LEVELS.map((l) => (
                <li key={l}>
                  <Link to={`/studios?level=${l}`}>{t(`level.${l}` as MessageKey)}</Link>
                  <span className="bar" style={{ width: `${((figures.byLevel[l] ?? 0) / Math.max(1, figures.totals.studios)) * 100}%` }} />
                  <span className="num">{figures.byLevel[l] ?? 0}</span>
                </li>
              ))}
            </ul>
            <h3>{t("home.bySector")}</h3>
            <ul className="bars">
              {SECTORS.map((s) => (
                <li key={s}>
                  <Link to={`/studios?sector=${s}`}>{t(`sector.${s}` as MessageKey)}</Link>
                  <span className={`bar sector-${s}`} style={{ width: `${((figures.bySector[s] ?? 0) / Math.max(1, figures.totals.studios)) * 100}%` }} />
                  <span className="num">{figures.bySector[s] ?? 0}</span>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h3>{t("home.byIndustry")}</h3>
            <ul className="bars">
              {figures.byIndustry.map((i) => (
                <li key={i.key}>
                  <Link to={`/studios?industry=${i.key}`}>{industryName(i, t.locale)}</Link>
                  <span className={`bar sector-${i.sector}`} style={{ width: `${(i.count / max) * 100}%` }} />
                  <span className="num">{i.count}</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
        <p className="note">{t("home.reportNote")}</p>
      </section>

      <div className="two-col">
        <section aria-labelledby="new" className="section">
          <h2 id="new">{t("home.new")}</h2>
          <ul className="list">
            {results.map((r) => (
              <li key={r.slug}>
                <Link to={`/results/${r.slug}`} className="title">
                  {r.title}
                </Link>{" "}
                <IllustrativeBadge show={r.illustrative} />
                <div className="muted">
                  {t(`kind.${r.kind}` as MessageKey)}
                  {SEP}
                  {r.year}
                  {SEP}
                  <Link to={`/studios/${r.studio.slug}`}>{r.studio.name}</Link>
                  {SEP}
                  {r.enterprise}
                </div>
              </li>
            ))}
          </ul>
          <Link to="/results">{t("home.viewAll")} →</Link>
        </section>
        <section aria-labelledby="new-needs" className="section">
          <h2 id="new-needs">{t("home.newNeeds")}</h2>
          <ul className="list">
            {needs.map((n) => (
              <li key={n.slug}>
                <Link to={`/needs/${n.slug}`} className="title">
                  {n.title}
                </Link>{" "}
                <IllustrativeBadge show={n.illustrative} />
                <div className="muted">
                  {n.enterprise}
                  {SEP}
                  {t(`needStatus.${n.status}` as MessageKey)}
                </div>
              </li>
            ))}
          </ul>
          <Link to="/needs">{t("home.viewAll")} →</Link>
        </section>
      </div>
    </>
  );
}
