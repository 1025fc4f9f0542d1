import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { IllustrativeBadge, IllustrativeNote, Section, SEP, Tags } from "~/components/ui";
import { honourName } from "~/content/honours";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { getPerson, similarPeople } from "~/models/person.server";
import { resultViewer } from "~/models/result.server";
import { requireFound } from "~/utils/http.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";
import { getUser } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data ? pageMeta(matches, data.person.name, data.person.bio.slice(0, 150) || undefined) : pageMeta(matches, "notFound.title");

export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const p = await requireFound(await getPerson(await resultViewer(await getUser(request)), slug), async () =>
    (await similarPeople(slug)).map((x) => ({ href: `/people/${x.slug}`, label: x.name })),
  );
  // only what the talent base shows publicly: no contact details are read here
  return {
    person: {
      slug: p.slug,
      name: p.name,
      role: p.role,
      title: p.title,
      bio: p.bio,
      level: p.level,
      skills: p.skills,
      illustrative: p.studio.illustrative,
      studio: { slug: p.studio.slug, name: p.studio.name, level: p.studio.level },
      enterprise: p.studio.enterprise,
      industry: { key: p.studio.industryKey, nameZh: p.studio.industry.nameZh, nameEn: p.studio.industry.nameEn },
      honours: p.honourLinks.map((h) => ({
        text: h.text,
        honour: h.honour ? { key: h.honour.key, nameZh: h.honour.nameZh, nameEn: h.honour.nameEn, level: h.honour.level } : null,
      })),
    },
    results: p.results,
    deliveries: p.deliveries.map((d) => ({ id: d.id, date: d.date, hours: d.hours, need: { slug: d.need.slug, title: d.need.title }, enterprise: d.need.enterprise.name })),
  };
}

export default function PersonRoute() {
  const { person, results, deliveries } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <article className="record">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to="/people">{t("people.nav")}</Link> / <Link to={`/studios/${person.studio.slug}`}>{person.studio.name}</Link>
      </nav>
      <header className="page-head">
        <h1>{person.name}</h1>
        <p className="meta-line">
          {person.level && <span className={`badge level-${person.level}`}>{t(`level.${person.level}` as MessageKey)}</span>}{" "}
          <span className="badge">{t(`people.role.${person.role === "leader" ? "leader" : "member"}`)}</span> <IllustrativeBadge show={person.illustrative} />
        </p>
        <dl className="facts">
          <div>
            <dt>{t("people.studio")}</dt>
            <dd>
              <Link to={`/studios/${person.studio.slug}`}>{person.studio.name}</Link>
            </dd>
          </div>
          <div>
            <dt>{t("people.enterprise")}</dt>
            <dd>
              <Link to={`/enterprises/${person.enterprise.slug}`}>{person.enterprise.name}</Link>
            </dd>
          </div>
          <div>
            <dt>{t("people.industry")}</dt>
            <dd>
              <Link to={`/people?industry=${person.industry.key}`}>{industryName(person.industry, t.locale)}</Link>
            </dd>
          </div>
          <div>
            <dt>{t("people.role")}</dt>
            <dd>{person.title || t(`people.role.${person.role === "leader" ? "leader" : "member"}`)}</dd>
          </div>
        </dl>
      </header>
      <IllustrativeNote show={person.illustrative} />
      <div className="record-grid">
        <div>
          <Section title={t("people.bio")} id="bio">
            {person.bio ? <p className="bio">{person.bio}</p> : <p className="empty">{t("people.noBio")}</p>}
          </Section>
          <Section title={`${t("people.results")} (${results.length})`} id="results">
            {results.length === 0 ? (
              <p className="empty">
                {t("people.noResults")} <Link to={`/studios/${person.studio.slug}#results`}>{t("people.studioResults", { studio: person.studio.name })}</Link>
              </p>
            ) : (
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
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <Section title={`${t("people.deliveries")} (${deliveries.length})`} id="deliveries">
            {deliveries.length === 0 ? (
              <p className="empty">{t("people.noDeliveries")}</p>
            ) : (
              <ul className="list">
                {deliveries.map((d) => (
                  <li key={d.id}>
                    <Link to={`/needs/${d.need.slug}`} className="title">
                      {d.need.title}
                    </Link>
                    <div className="muted">{t("people.deliveryLine", { date: d.date, enterprise: d.enterprise, hours: d.hours })}</div>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
        <aside className="side">
          <section className="panel">
            <h2>{t("people.honours")}</h2>
            {person.honours.length === 0 ? (
              <p className="empty">—</p>
            ) : (
              <ul className="list honours">
                {person.honours.map((h) => (
                  <li key={h.text}>
                    {h.honour ? (
                      <>
                        <Link to={`/people?honour=${h.honour.key}`}>{honourName(h.honour, t.locale)}</Link>{" "}
                        <span className={`badge level-${h.honour.level}`}>{t(`level.${h.honour.level}` as MessageKey)}</span>
                        {h.text !== h.honour.nameZh && <div className="muted small">{h.text}</div>}
                      </>
                    ) : (
                      <>
                        {h.text} <span className="muted small">{t("people.otherHonour")}</span>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel">
            <h2>{t("people.skills")}</h2>
            {person.skills.length === 0 ? <p className="empty">—</p> : <Tags items={person.skills} label={t("people.skills")} />}
          </section>
          <p className="muted small" role="note">
            {t("people.privacy")}
          </p>
        </aside>
      </div>
    </article>
  );
}
