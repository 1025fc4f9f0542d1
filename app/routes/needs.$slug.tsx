import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { IllustrativeBadge, IllustrativeNote, RichText, Section, Tags } from "~/components/ui";
import { NEED_STATUSES } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { renderBodyHtml } from "~/lexical/render.server";
import { excerpt } from "~/lexical/text";
import { getNeed } from "~/models/need.server";
import { requireFound } from "~/utils/http.server";
import { parseList } from "~/utils/json";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data ? pageMeta(matches, data.need.title, data.description) : pageMeta(matches, "notFound.title");

export async function loader({ params }: LoaderFunctionArgs) {
  const n = await requireFound(await getNeed(params.slug ?? ""));
  return {
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
  const { need, dispatches } = useLoaderData<typeof loader>();
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
