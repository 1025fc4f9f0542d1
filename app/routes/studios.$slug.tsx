import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { isCoordinator, studioRole } from "~/utils/auth.server";
import { getUser } from "~/utils/session.server";
import { IllustrativeBadge, IllustrativeNote, RichText, SEP, Section, Tags } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { renderBodyHtml } from "~/lexical/render.server";
import { excerpt } from "~/lexical/text";
import { getLocale } from "~/i18n/locale.server";
import { listIndustries } from "~/models/industry.server";
import { findPeers, localizeReasons } from "~/models/peers.server";
import { resultViewer } from "~/models/result.server";
import { getStudio, similarStudios } from "~/models/studio.server";
import { enquiryRow, listEnquiries } from "~/models/enquiry.server";
import { EnquiryList } from "~/components/enquiry";
import { requireFound } from "~/utils/http.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? pageMeta(matches, data.studio.name, data.description) : pageMeta(matches, "notFound.title"));

export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const user = await getUser(request);
  const s = await requireFound(await getStudio(await resultViewer(user), slug), async () =>
    (await similarStudios(slug)).map((x) => ({ href: `/studios/${x.slug}`, label: x.name })),
  );
  const [peers, locale, industries, enquiries] = await Promise.all([findPeers(s.slug, 5), getLocale(request), listIndustries(), listEnquiries(user, { studioId: s.id, take: 5 })]);
  return {
    // for the studio's admins and coordinators only (the model's rule); null for everyone else
    enquiries: enquiries ? enquiries.map(enquiryRow) : null,
    peers: (peers?.peers ?? []).map((p) => ({ ...p, reasons: localizeReasons(p.reasons, locale, industries) })),
    role: studioRole(user, s.id),
    // 认定: coordinators set a studio's level and honours; its admins ask for a change
    recognises: isCoordinator(user),
    description: excerpt(s.bodyText, 150),
    studio: {
      slug: s.slug,
      name: s.name,
      level: s.level,
      sector: s.sector,
      founded: s.founded,
      illustrative: s.illustrative,
      enterprise: { slug: s.enterprise.slug, name: s.enterprise.name },
      industry: { key: s.industryKey, nameZh: s.industry.nameZh, nameEn: s.industry.nameEn },
      specialties: s.specialties,
      honours: s.honours,
      needs: s.skillNeeds,
      leader: s.people.filter((p) => p.role === "leader").map((p) => ({ name: p.name, slug: p.slug, honours: p.honours }))[0] ?? null,
      members: s.people.filter((p) => p.role === "member").map((p) => ({ name: p.name, slug: p.slug })),
      html: renderBodyHtml(s.body),
    },
    results: s.results.map((r) => ({
      slug: r.slug,
      title: r.title,
      kind: r.kind,
      status: r.status,
      year: r.year,
      illustrative: r.illustrative,
      benefit: r.benefits[0] ?? "",
    })),
    patents: s.patents.map((p) => ({ slug: p.slug, number: p.number, title: p.title, kind: p.kind, status: p.status, illustrative: p.illustrative })),
    activities: s.activities.map((a) => ({ id: a.id, verb: a.verb, summary: a.summary, at: a.createdAt.toISOString().slice(0, 10) })),
  };
}

export default function StudioRoute() {
  const { studio, results, patents, activities, role, peers, recognises, enquiries } = useLoaderData<typeof loader>();
  const t = useT();
  const [params] = useSearchParams();
  return (
    <article className="record">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to="/studios">{t("nav.studios")}</Link> / <Link to={`/enterprises/${studio.enterprise.slug}`}>{studio.enterprise.name}</Link>
      </nav>
      <header className="page-head">
        <h1>{studio.name}</h1>
        <p className="meta-line">
          <span className={`badge level-${studio.level}`}>{t(`level.${studio.level}` as MessageKey)}</span>{" "}
          <span className={`badge sector-${studio.sector}`}>{t(`sector.${studio.sector}` as MessageKey)}</span> <IllustrativeBadge show={studio.illustrative} />
        </p>
        <dl className="facts">
          <div>
            <dt>{t("studio.enterprise")}</dt>
            <dd>
              <Link to={`/enterprises/${studio.enterprise.slug}`}>{studio.enterprise.name}</Link>
            </dd>
          </div>
          <div>
            <dt>{t("studio.industry")}</dt>
            <dd>
              <Link to={`/studios?industry=${studio.industry.key}`}>{industryName(studio.industry, t.locale)}</Link>
            </dd>
          </div>
          {studio.leader && (
            <div>
              <dt>{t("studio.leader")}</dt>
              <dd>
                <Link to={`/people/${studio.leader.slug}`}>{studio.leader.name}</Link>
              </dd>
            </div>
          )}
          <div>
            <dt>{t("studio.foundedLabel")}</dt>
            <dd>{studio.founded}</dd>
          </div>
        </dl>
      </header>
      <IllustrativeNote show={studio.illustrative} />
      {params.get("published") && <Notice tone="success">{t("edit.published")}</Notice>}
      {role && (
        <nav className="editor-actions" aria-label={t("edit.edit")}>
          <Link to={`/studios/${studio.slug}/edit`} className="button">
            {t("edit.editStudio")}
          </Link>
          <Link to={`/studios/${studio.slug}/results/new`} className="button">
            {t("edit.newResult")}
          </Link>
          <Link to={`/studios/${studio.slug}/patents/new`} className="button secondary">
            {t("edit.newPatent")}
          </Link>
          <Link to={`/studios/${studio.slug}/history`} className="button secondary">
            {t("edit.history")}
          </Link>
          {role === "admin" && (
            <Link to={`/studios/${studio.slug}/members`} className="button secondary">
              {t("members.title")}
            </Link>
          )}
          {role === "admin" && (
            <Link to={`/studios/${studio.slug}/people`} className="button secondary">
              {t("people.edit.title")}
            </Link>
          )}
          {role === "admin" && !recognises && (
            <Link to={`/studios/${studio.slug}/recognition`} className="button secondary">
              {t("recognition.askChange")}
            </Link>
          )}
        </nav>
      )}
      {recognises && (
        <nav className="editor-actions" aria-label={t("recognition.title")}>
          <Link to={`/studios/${studio.slug}/recognition`} className="button secondary">
            {t("recognition.set")}
          </Link>
        </nav>
      )}

      <div className="record-grid">
        <div>
          <Section title={t("studio.profile")} id="profile">
            <RichText html={studio.html} />
          </Section>
          <Section title={`${t("studio.results")} (${results.length})`} id="results">
            {results.length === 0 ? (
              <p className="empty">{t("studio.noResults")}</p>
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
                      {t(`resultStatus.${r.status}` as MessageKey)}
                      {SEP}
                      {r.year}
                    </div>
                    {r.benefit && <div className="benefit">{r.benefit}</div>}
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <Section title={`${t("studio.patents")} (${patents.length})`} id="patents">
            {patents.length === 0 ? (
              <p className="empty">{t("studio.noPatents")}</p>
            ) : (
              <ul className="list">
                {patents.map((p) => (
                  <li key={p.slug}>
                    <Link to={`/patents/${p.slug}`} className="title">
                      {p.title}
                    </Link>{" "}
                    <IllustrativeBadge show={p.illustrative} />
                    <div className="muted">
                      {p.number}
                      {SEP}
                      {t(`patentKind.${p.kind}` as MessageKey)}
                      {SEP}
                      {t(`patentStatus.${p.status}` as MessageKey)}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <Section title={t("peers.title")} id="peers">
            <p className="muted small">{t("peers.lead")}</p>
            {peers.length === 0 ? (
              <p className="empty">{t("peers.none")}</p>
            ) : (
              <ul className="list peers">
                {peers.map((p) => (
                  <li key={p.slug}>
                    <Link to={`/studios/${p.slug}`} className="title">
                      {p.name}
                    </Link>{" "}
                    <span className="muted small">
                      {p.enterprise} · {t("peers.score", { n: Math.round(p.score * 100) })}
                    </span>
                    <ul className="reasons">
                      {p.reasons.map((r) => (
                        <li key={r.type}>{r.text}</li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
        <aside className="side">
          <section className="panel contact" aria-labelledby="contact-h">
            <h2 id="contact-h">{t("enquiry.contactStudio")}</h2>
            <p className="small">{t("enquiry.contactStudioLead")}</p>
            <Link to={`/studios/${studio.slug}/contact`} className="button">
              {t("enquiry.contactStudio")}
            </Link>
          </section>
          {enquiries && (
            <section className="panel" aria-labelledby="enquiries-h">
              <h2 id="enquiries-h">{t("enquiry.studioPanel")}</h2>
              <EnquiryList items={enquiries} showStudio={false} />
              <p className="small">
                <Link to="/enquiries">{t("enquiry.studioPanelAll")}</Link>
              </p>
            </section>
          )}
          {studio.leader && (
            <section className="panel">
              <h2>{t("studio.leader")}</h2>
              <p className="person">
                <Link to={`/people/${studio.leader.slug}`}>{studio.leader.name}</Link>
              </p>
              {studio.leader.honours.length > 0 && <Tags items={studio.leader.honours} label={t("studio.leaderHonours")} />}
              {studio.members.length > 0 && (
                <>
                  <h3>{t("studio.members")}</h3>
                  <p>
                    {studio.members.map((m, i) => (
                      <span key={m.slug}>
                        {i > 0 && (t.locale === "en" ? ", " : "、")}
                        <Link to={`/people/${m.slug}`}>{m.name}</Link>
                      </span>
                    ))}
                  </p>
                </>
              )}
            </section>
          )}
          <section className="panel">
            <h2>{t("studio.specialties")}</h2>
            <Tags items={studio.specialties} />
          </section>
          {studio.needs.length > 0 && (
            <section className="panel">
              <h2>{t("studio.needs")}</h2>
              <Tags items={studio.needs} />
              <p className="muted small">{t("studio.needsHint")}</p>
            </section>
          )}
          {studio.honours.length > 0 && (
            <section className="panel">
              <h2>{t("studio.honours")}</h2>
              <ul className="plain">
                {studio.honours.map((h) => (
                  <li key={h}>{h}</li>
                ))}
              </ul>
            </section>
          )}
          {activities.length > 0 && (
            <section className="panel">
              <h2>{t("studio.activity")}</h2>
              <ul className="plain small">
                {activities.map((a) => (
                  <li key={a.id}>
                    <time>{a.at}</time> {t(`activity.${a.verb}` as MessageKey)}
                    {t.colon}
                    {a.summary}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </aside>
      </div>
    </article>
  );
}
