import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { ReviewNotice } from "~/components/review";
import { reviewBadge, reviewStateOf } from "~/models/review.server";
import { isCoordinator, studioRole } from "~/utils/auth.server";
import { getUser } from "~/utils/session.server";
import { IllustrativeBadge, IllustrativeNote, RichText, SEP, Section, Tags } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { renderBodyHtml } from "~/lexical/render.server";
import { excerpt } from "~/lexical/text";
import { confirmedOnly } from "~/models/adoption.server";
import { reuseCount } from "~/models/alliance.server";
import { getResult, resultViewer, similarResults } from "~/models/result.server";
import { requireFound } from "~/utils/http.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? pageMeta(matches, data.result.title, data.description) : pageMeta(matches, "notFound.title"));

export async function loader({ params, request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const slug = params.slug ?? "";
  const viewer = await resultViewer(user);
  const r = await requireFound(await getResult(viewer, slug), async () => (await similarResults(viewer, slug)).map((x) => ({ href: `/results/${x.slug}`, label: x.title })));
  const canEdit = Boolean(studioRole(user, r.studioId));
  return {
    canEdit,
    // 审核: its own studio and coordinators see what waits (the rule already hides a new one from everyone else)
    review: canEdit || isCoordinator(user) ? reviewBadge(await reviewStateOf("result", r.id)) : null,
    reusedBy: reuseCount(r.adopters, r.adoptions, r.studio.enterprise.name),
    adoptions: confirmedOnly(r.adoptions).map((a) => ({ enterprise: a.enterprise.name, enterpriseSlug: a.enterprise.slug, adoptedOn: a.adoptedOn, benefit: a.benefit })),
    allianceOnly: r.visibility === "alliance",
    description: excerpt(r.benefits.join("；") || r.bodyText, 150),
    result: {
      slug: r.slug,
      title: r.title,
      kind: r.kind,
      status: r.status,
      year: r.year,
      illustrative: r.illustrative,
      industry: { key: r.industryKey, nameZh: r.industry.nameZh, nameEn: r.industry.nameEn },
      tags: r.tags,
      benefits: r.benefits,
      adopters: r.adopters,
      awards: r.awards,
      html: renderBodyHtml(r.body),
    },
    studio: {
      slug: r.studio.slug,
      name: r.studio.name,
      leader: r.studio.people[0]?.name ?? "",
      enterprise: { slug: r.studio.enterprise.slug, name: r.studio.enterprise.name },
    },
    patents: r.patents.map(({ patent: p }) => ({ slug: p.slug, number: p.number, title: p.title, kind: p.kind, status: p.status })),
  };
}

export default function ResultRoute() {
  const { result, studio, patents, canEdit, reusedBy, adoptions, allianceOnly, review } = useLoaderData<typeof loader>();
  const t = useT();
  const [params] = useSearchParams();
  return (
    <article className="record">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to="/results">{t("nav.results")}</Link> / <Link to={`/studios/${studio.slug}`}>{studio.name}</Link>
      </nav>
      <header className="page-head">
        <h1>{result.title}</h1>
        <p className="meta-line">
          <span className="badge">{t(`kind.${result.kind}` as MessageKey)}</span>{" "}
          <span className={`badge status-${result.status}`}>{t(`resultStatus.${result.status}` as MessageKey)}</span> <IllustrativeBadge show={result.illustrative} />{" "}
          {allianceOnly && <span className="badge alliance-only">{t("alliance.allianceOnly")}</span>}{" "}
          {reusedBy > 0 && <span className="badge reused">{t("result.reusedBy", { n: reusedBy })}</span>}
        </p>
        <dl className="facts">
          <div>
            <dt>{t("result.studio")}</dt>
            <dd>
              <Link to={`/studios/${studio.slug}`}>{studio.name}</Link>
            </dd>
          </div>
          <div>
            <dt>{t("studio.enterprise")}</dt>
            <dd>
              <Link to={`/enterprises/${studio.enterprise.slug}`}>{studio.enterprise.name}</Link>
            </dd>
          </div>
          <div>
            <dt>{t("studio.industry")}</dt>
            <dd>{industryName(result.industry, t.locale)}</dd>
          </div>
          <div>
            <dt>{t("result.year")}</dt>
            <dd>{result.year}</dd>
          </div>
        </dl>
      </header>
      <IllustrativeNote show={result.illustrative} />
      {params.get("published") && !review && <Notice tone="success">{t("edit.published")}</Notice>}
      <ReviewNotice review={review} />
      {canEdit && (
        <nav className="editor-actions" aria-label={t("edit.edit")}>
          <Link to={`/results/${result.slug}/edit`} className="button">
            {t("edit.editResult")}
          </Link>
          <Link to={`/results/${result.slug}/history`} className="button secondary">
            {t("edit.history")}
          </Link>
        </nav>
      )}
      <div className="record-grid">
        <div>
          {result.benefits.length > 0 && (
            <Section title={t("result.benefits")} id="benefits">
              <ul className="benefits">
                {result.benefits.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ul>
            </Section>
          )}
          <Section title={t("result.body")} id="body">
            <RichText html={result.html} />
          </Section>
        </div>
        <aside className="side">
          <section className="panel contact">
            <h2>{t("studio.contact")}</h2>
            <p>{t("result.contactText", { studio: studio.name, enterprise: studio.enterprise.name, leader: studio.leader })}</p>
            <p>
              <Link to={`/studios/${studio.slug}/contact?result=${encodeURIComponent(result.slug)}`} className="button">
                {t("enquiry.contactStudio")}
              </Link>
            </p>
            <Link to={`/studios/${studio.slug}`}>{studio.name} →</Link>
          </section>
          <section className="panel">
            <h2>{t("result.status")}</h2>
            <p>
              <span className={`badge status-${result.status}`}>{t(`resultStatus.${result.status}` as MessageKey)}</span>
            </p>
            <h3>{t("result.adopters")}</h3>
            {result.adopters.length ? (
              <ul className="plain">
                {result.adopters.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            ) : adoptions.length ? null : (
              <p className="muted">{t("result.noAdopters")}</p>
            )}
            {adoptions.length > 0 && (
              <>
                <h3>{t("project.adoptions")}</h3>
                <ul className="plain">
                  {adoptions.map((a) => (
                    <li key={a.enterprise}>
                      <Link to={`/enterprises/${a.enterpriseSlug}`}>{a.enterprise}</Link>
                      <div className="muted small">
                        {a.adoptedOn} · {a.benefit}
                      </div>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          {patents.length > 0 && (
            <section className="panel">
              <h2>{t("result.patents")}</h2>
              <ul className="plain">
                {patents.map((p) => (
                  <li key={p.slug}>
                    <Link to={`/patents/${p.slug}`}>{p.title}</Link>
                    <div className="muted small">
                      {p.number}
                      {SEP}
                      {t(`patentKind.${p.kind}` as MessageKey)}
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {result.awards.length > 0 && (
            <section className="panel">
              <h2>{t("result.awards")}</h2>
              <ul className="plain">
                {result.awards.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            </section>
          )}
          <section className="panel">
            <h2>{t("result.tags")}</h2>
            <Tags items={result.tags} />
          </section>
        </aside>
      </div>
    </article>
  );
}
