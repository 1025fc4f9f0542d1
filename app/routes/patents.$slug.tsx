import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { ReviewNotice } from "~/components/review";
import { reviewBadge, reviewStateOf } from "~/models/review.server";
import { isCoordinator, studioRole } from "~/utils/auth.server";
import { getUser } from "~/utils/session.server";
import { IllustrativeBadge, IllustrativeNote, RichText, Section } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { renderBodyHtml } from "~/lexical/render.server";
import { excerpt } from "~/lexical/text";
import { getPatent } from "~/models/patent.server";
import { resultViewer } from "~/models/result.server";
import { requireFound } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? pageMeta(matches, data.patent.title, data.description) : pageMeta(matches, "notFound.title"));

export async function loader({ params, request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const p = await requireFound(await getPatent(await resultViewer(user), params.slug ?? ""));
  const canEdit = Boolean(studioRole(user, p.studioId));
  return {
    canEdit,
    review: canEdit || isCoordinator(user) ? reviewBadge(await reviewStateOf("patent", p.id)) : null,
    description: excerpt(p.bodyText, 150),
    patent: {
      slug: p.slug,
      number: p.number,
      title: p.title,
      kind: p.kind,
      status: p.status,
      filed: p.filedOn,
      granted: p.grantedOn,
      illustrative: p.illustrative,
      html: renderBodyHtml(p.body),
    },
    studio: { slug: p.studio.slug, name: p.studio.name, enterprise: { slug: p.studio.enterprise.slug, name: p.studio.enterprise.name } },
    results: p.results.map(({ result: r }) => ({ slug: r.slug, title: r.title })),
  };
}

export default function PatentRoute() {
  const { patent, studio, results, canEdit, review } = useLoaderData<typeof loader>();
  const t = useT();
  const [params] = useSearchParams();
  return (
    <article className="record">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to="/patents">{t("nav.patents")}</Link> / <Link to={`/studios/${studio.slug}`}>{studio.name}</Link>
      </nav>
      <header className="page-head">
        <h1>{patent.title}</h1>
        <p className="meta-line">
          <span className="badge">{t(`patentKind.${patent.kind}` as MessageKey)}</span>{" "}
          <span className={`badge patent-${patent.status}`}>{t(`patentStatus.${patent.status}` as MessageKey)}</span> <IllustrativeBadge show={patent.illustrative} />
        </p>
        <dl className="facts">
          <div>
            <dt>{t("patent.number")}</dt>
            <dd className="mono">{patent.number}</dd>
          </div>
          <div>
            <dt>{t("patent.filed")}</dt>
            <dd>{patent.filed}</dd>
          </div>
          {patent.granted && (
            <div>
              <dt>{t("patent.granted")}</dt>
              <dd>{patent.granted}</dd>
            </div>
          )}
          <div>
            <dt>{t("patent.studio")}</dt>
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
        </dl>
      </header>
      <ReviewNotice review={review} />
      <IllustrativeNote show={patent.illustrative} />
      {params.get("published") && <Notice tone="success">{t("edit.published")}</Notice>}
      {canEdit && (
        <nav className="editor-actions" aria-label={t("edit.edit")}>
          <Link to={`/patents/${patent.slug}/edit`} className="button">
            {t("edit.editPatent")}
          </Link>
          <Link to={`/patents/${patent.slug}/history`} className="button secondary">
            {t("edit.history")}
          </Link>
        </nav>
      )}
      <Section title={t("patent.abstract")} id="abstract">
        <RichText html={patent.html} />
      </Section>
      {results.length > 0 && (
        <Section title={t("patent.results")} id="used-in">
          <ul className="list">
            {results.map((r) => (
              <li key={r.slug}>
                <Link to={`/results/${r.slug}`}>{r.title}</Link>
              </li>
            ))}
          </ul>
        </Section>
      )}
    </article>
  );
}
