import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { IllustrativeBadge, IllustrativeNote, RichText, Section, Tags } from "~/components/ui";
import { NEED_STATUSES } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { renderBodyHtml } from "~/lexical/render.server";
import { excerpt } from "~/lexical/text";
import { getLocale } from "~/i18n/locale.server";
import { findCandidates } from "~/models/candidates.server";
import { getNeed } from "~/models/need.server";
import candidateStyles from "~/styles/candidates.css";
import { isCoordinator } from "~/utils/auth.server";
import { getUser } from "~/utils/session.server";
import { requireFound } from "~/utils/http.server";
import { parseList } from "~/utils/json";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data ? pageMeta(matches, data.need.title, data.description) : pageMeta(matches, "notFound.title");

export const links: LinksFunction = () => [{ rel: "stylesheet", href: candidateStyles }];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const n = await requireFound(await getNeed(params.slug ?? ""));
  const user = await getUser(request);
  // candidates are a coordinator's dispatch aid (配送), not part of the public page
  const candidates = isCoordinator(user) ? await findCandidates(n.slug, { user, locale: await getLocale(request) }) : null;
  return {
    candidates: candidates && { list: candidates.candidates, uncovered: candidates.uncovered },
    description: excerpt(n.bodyText, 150),
    need: {
      slug: n.slug, title: n.title, status: n.status, illustrative: n.illustrative, tags: parseList(n.tags),
      posted: n.createdAt.toISOString().slice(0, 10), html: renderBodyHtml(n.body),
      enterprise: { slug: n.enterprise.slug, name: n.enterprise.name },
      industry: { key: n.industryKey, nameZh: n.industry.nameZh, nameEn: n.industry.nameEn },
    },
    dispatches: n.dispatches.map((d) => ({ studio: { slug: d.studio.slug, name: d.studio.name }, enterprise: d.studio.enterprise.name, state: d.state })),
  };
}

export default function NeedRoute() {
  const { need, dispatches, candidates } = useLoaderData<typeof loader>();
  const t = useT();
  const step = NEED_STATUSES.indexOf(need.status as (typeof NEED_STATUSES)[number]);
  return (
    <article className="record">
      <nav aria-label="breadcrumb" className="crumbs"><Link to="/needs">{t("nav.needs")}</Link></nav>
      <header className="page-head">
        <h1>{need.title}</h1>
        <p className="meta-line">
          <span className={`badge need-${need.status}`}>{t(`needStatus.${need.status}` as MessageKey)}</span>{" "}
          <IllustrativeBadge show={need.illustrative} />
        </p>
        <dl className="facts">
          <div><dt>{t("need.enterprise")}</dt><dd><Link to={`/enterprises/${need.enterprise.slug}`}>{need.enterprise.name}</Link></dd></div>
          <div><dt>{t("need.industry")}</dt><dd>{industryName(need.industry, t.locale)}</dd></div>
        </dl>
      </header>
      <IllustrativeNote show={need.illustrative} />
      <ol className="steps" aria-label={t("need.status")}>
        {NEED_STATUSES.map((s, i) => (
          <li key={s} className={i < step ? "done" : i === step ? "current" : undefined} aria-current={i === step ? "step" : undefined}>
            {t(`needStatus.${s}` as MessageKey)}
          </li>
        ))}
      </ol>
      <div className="record-grid">
        <div>
          <Section title={t("need.tags")} id="skills"><Tags items={need.tags} /></Section>
          <Section title={t("result.body")} id="body"><RichText html={need.html} /></Section>
          {candidates && <Candidates {...candidates} />}
        </div>
        {dispatches.length > 0 && (
          <aside className="side">
            <section className="panel">
              <h2>{t("need.dispatched")}</h2>
              <ul className="plain">
                {dispatches.map((d) => <li key={d.studio.slug}><Link to={`/studios/${d.studio.slug}`}>{d.studio.name}</Link><div className="muted small">{d.enterprise}</div></li>)}
              </ul>
            </section>
          </aside>
        )}
      </div>
    </article>
  );
}

function Candidates({ list, uncovered }: { list: { slug: string; name: string; enterprise: string; score: number; reasons: { type: string; text: string }[]; results: { slug: string; title: string }[] }[]; uncovered: string[] }) {
  const t = useT();
  return (
    <Section title={t("candidates.title")} id="candidates">
      <p className="muted small">{t("candidates.lead")}</p>
      {uncovered.length > 0 && (
        <div className="uncovered" role="note" aria-labelledby="uncovered-skills">
          <h3 id="uncovered-skills">{t("candidates.uncovered")}</h3>
          <Tags items={uncovered} label={t("candidates.uncovered")} />
        </div>
      )}
      {list.length === 0 ? <p className="empty">{t("candidates.none")}</p> : (
        <>
          {uncovered.length === 0 && <p className="muted small">{t("candidates.allCovered")}</p>}
          <ol className="candidates" aria-label={t("candidates.title")}>
            {list.map((c) => (
              <li key={c.slug}>
                <div className="cand-head">
                  <Link to={`/studios/${c.slug}`} className="title">{c.name}</Link>
                  <span className="muted small">{c.enterprise} · {t("candidates.score", { n: Math.round(c.score * 100) })}</span>
                </div>
                <ul className="reasons">
                  {c.reasons.map((r, i) => <li key={i}>{r.text}</li>)}
                </ul>
                {c.results.length > 0 && (
                  <div className="cand-results">
                    <span className="muted">{t("candidates.results")}</span>{" "}
                    <ul>{c.results.map((r) => <li key={r.slug}><Link to={`/results/${r.slug}`}>{r.title}</Link></li>)}</ul>
                  </div>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </Section>
  );
}
