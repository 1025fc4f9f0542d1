import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { IllustrativeBadge, PageHead, SEP, Section, Tags } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { getEnterprise, survivorSlug } from "~/models/enterprise.server";
import { resultViewer } from "~/models/result.server";
import { getUser } from "~/utils/session.server";
import { requireFound } from "~/utils/http.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? pageMeta(matches, data.enterprise.name) : pageMeta(matches, "notFound.title"));

export async function loader({ params, request }: LoaderFunctionArgs) {
  const e = await requireFound(await getEnterprise(await resultViewer(await getUser(request)), params.slug ?? ""));
  // a record merged into another (/admin/enterprises): old links go to the one kept
  const survivor = e.mergedIntoId ? await survivorSlug(e.mergedIntoId) : null;
  if (survivor) throw redirect(`/enterprises/${survivor}`, 301);
  return {
    enterprise: { slug: e.slug, name: e.name },
    studios: e.studios.map((s) => ({
      slug: s.slug,
      name: s.name,
      level: s.level,
      illustrative: s.illustrative,
      industry: s.industry,
      specialties: s.specialties.slice(0, 5),
      results: s._count.results,
      patents: s._count.patents,
    })),
    needs: e.needs.map((n) => ({ slug: n.slug, title: n.title, status: n.status, illustrative: n.illustrative, industry: n.industry })),
  };
}

export default function EnterpriseRoute() {
  const { enterprise, studios, needs } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to="/enterprises">{t("nav.enterprises")}</Link>
      </nav>
      <PageHead title={enterprise.name} lead={t("enterprise.counts", { studios: studios.length, needs: needs.length })} />
      <Section title={t("enterprise.studios")} id="studios">
        {studios.length === 0 ? (
          <p className="empty">{t("enterprise.noStudios")}</p>
        ) : (
          <ul className="cards">
            {studios.map((s) => (
              <li key={s.slug} className="card">
                <h3 className="card-title">
                  <Link to={`/studios/${s.slug}`}>{s.name}</Link>
                </h3>
                <p className="meta-line">
                  <span className={`badge level-${s.level}`}>{t(`level.${s.level}` as MessageKey)}</span> <IllustrativeBadge show={s.illustrative} />
                </p>
                <p className="muted">{industryName(s.industry, t.locale)}</p>
                <Tags items={s.specialties} label={t("studio.specialties")} />
                <p className="muted small">
                  {t("studio.resultsCount", { n: s.results })}
                  {SEP}
                  {t("studio.patentsCount", { n: s.patents })}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t("enterprise.needs")} id="needs">
        {needs.length === 0 ? (
          <p className="empty">{t("enterprise.noNeeds")}</p>
        ) : (
          <ul className="list">
            {needs.map((n) => (
              <li key={n.slug}>
                <Link to={`/needs/${n.slug}`} className="title">
                  {n.title}
                </Link>{" "}
                <IllustrativeBadge show={n.illustrative} />
                <div className="muted">
                  {t(`needStatus.${n.status}` as MessageKey)}
                  {SEP}
                  {industryName(n.industry, t.locale)}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}
