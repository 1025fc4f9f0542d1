import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AttachmentLinks } from "~/components/attachment-picker";
import { Notice } from "~/components/forms";
import { DispatchForm, NeedStepper, NeedTimeline, RequesterActions, StudioAnswer, type LoopErrors } from "~/components/need-loop";
import { IllustrativeBadge, IllustrativeNote, RichText, Section, Tags } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { renderBodyHtml } from "~/lexical/render.server";
import { ReviewNotice } from "~/components/review";
import { reviewBadge, reviewStateOf } from "~/models/review.server";
import { excerpt } from "~/lexical/text";
import { projectsForNeed, projectUrl } from "~/models/alliance.server";
import { acceptDispatch, confirmDelivery, declineDispatch, dispatchNeed, dispatchableStudios, needPage, recordDelivery, withdrawNeed } from "~/models/need-loop.server";
import { getLocale } from "~/i18n/locale.server";
import { findCandidates } from "~/models/candidates.server";
import candidateStyles from "~/styles/candidates.css";
import { getUser } from "~/utils/session.server";
import { requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { forbidden, readForm, requireFound } from "~/utils/http.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? pageMeta(matches, data.need.title, data.description) : pageMeta(matches, "notFound.title"));

export const links: LinksFunction = () => [{ rel: "stylesheet", href: candidateStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await getUser(request);
  const page = await requireFound(await needPage(viewer, params.slug ?? ""));
  const n = page.need;
  // candidates are a coordinator's dispatch aid (配送), not part of the public page
  const open = page.coordinator && ["open", "dispatched", "accepted"].includes(n.status);
  const candidates = page.coordinator ? await findCandidates(n.slug, { user: viewer, locale: await getLocale(request) }) : null;
  return {
    candidates: candidates && { list: candidates.candidates, uncovered: candidates.uncovered },
    description: excerpt(n.bodyText, 150),
    need: {
      slug: n.slug,
      title: n.title,
      status: n.status,
      version: n.version,
      illustrative: n.illustrative,
      tags: n.tags,
      visibility: n.visibility,
      district: n.district,
      timeframe: n.timeframe,
      rating: n.rating,
      ratingComment: n.ratingComment,
      posted: n.createdAt.toISOString().slice(0, 10),
      html: renderBodyHtml(n.body),
      enterprise: { slug: n.enterprise.slug, name: n.enterprise.name },
      industry: { key: n.industryKey, nameZh: n.industry.nameZh, nameEn: n.industry.nameEn },
    },
    contact: page.contact,
    requester: page.requester,
    coordinator: page.coordinator,
    overdue: page.overdue,
    dispatches: page.dispatches,
    deliveries: page.deliveries,
    teams: page.teams,
    timeline: page.timeline,
    dispatchable: open ? await dispatchableStudios(n.id) : [],
    // 审核: the requester and coordinators see what waits
    review: page.requester || page.coordinator ? reviewBadge(await reviewStateOf("need", n.id)) : null,
    projects: (await projectsForNeed(n.id)).map((p) => ({ url: projectUrl(p.alliance.slug, p.slug), title: p.title, status: p.status, alliance: p.alliance.name })),
  };
}

const STEPS = { dispatch: dispatchNeed, accept: acceptDispatch, decline: declineDispatch, deliver: recordDelivery, confirm: confirmDelivery, withdraw: withdrawNeed } as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const intent = String(form.get("intent") ?? "");
  const step = Object.hasOwn(STEPS, intent) ? STEPS[intent as keyof typeof STEPS] : null;
  if (!step) return data({ step: intent, errors: { _form: "form.invalid" }, values: {} }, { status: 400 });
  const outcome = await step(user, params.slug ?? "", form);
  if (outcome.ok) throw redirect(`/needs/${outcome.slug}?done=${intent}`);
  if (outcome.status === 403) throw forbidden(outcome.errors._form as MessageKey);
  return data({ step: intent, errors: outcome.errors, values: outcome.values }, { status: outcome.status });
}

export default function NeedRoute() {
  const d = useLoaderData<typeof loader>();
  const failed = (useActionData<typeof action>() ?? null) as LoopErrors;
  const t = useT();
  const [params] = useSearchParams();
  const { need } = d;
  const done = params.get("done") ?? (params.get("posted") ? "submit" : params.get("saved") ? "edit" : null);
  return (
    <article className="record">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to="/needs">{t("nav.needs")}</Link>
      </nav>
      <header className="page-head">
        <h1>{need.title}</h1>
        <p className="meta-line">
          <span className={`badge need-${need.status}`}>{t(`needStatus.${need.status}` as MessageKey)}</span>{" "}
          {need.visibility === "union" && <span className="badge">{t("needForm.visibility.union")}</span>} {d.overdue && <span className="badge warn">{t("loop.overdue")}</span>}{" "}
          <IllustrativeBadge show={need.illustrative} />
        </p>
        <dl className="facts">
          <div>
            <dt>{t("need.enterprise")}</dt>
            <dd>
              <Link to={`/enterprises/${need.enterprise.slug}`}>{need.enterprise.name}</Link>
            </dd>
          </div>
          <div>
            <dt>{t("need.industry")}</dt>
            <dd>{industryName(need.industry, t.locale)}</dd>
          </div>
          {need.district && (
            <div>
              <dt>{t("needForm.district")}</dt>
              <dd>{need.district}</dd>
            </div>
          )}
          {need.timeframe && (
            <div>
              <dt>{t("needForm.timeframe")}</dt>
              <dd>{need.timeframe}</dd>
            </div>
          )}
          {d.contact && (d.contact.name || d.contact.phone) && (
            <div>
              <dt>{t("needForm.contact")}</dt>
              <dd>
                {d.contact.name} {d.contact.phone}
              </dd>
            </div>
          )}
        </dl>
      </header>
      <ReviewNotice review={d.review} owner="enterprise" />
      {done && <Notice tone="success">{t(`loop.done.${done}` as MessageKey)}</Notice>}
      {failed && failed.errors._form && !["dispatch", "accept", "decline", "deliver", "confirm"].includes(failed.step) && (
        <p className="error-summary" role="alert">
          {t(failed.errors._form as MessageKey)}
        </p>
      )}
      <IllustrativeNote show={need.illustrative} />
      <NeedStepper status={need.status} />
      <div className="record-grid">
        <div>
          <Section title={t("need.tags")} id="skills">
            <Tags items={need.tags} />
          </Section>
          <Section title={t("need.body")} id="body">
            <RichText html={need.html} />
          </Section>
          {d.projects.length > 0 && (
            <Section title={t("need.projects")} id="projects">
              <ul className="list">
                {d.projects.map((p) => (
                  <li key={p.url}>
                    <Link to={p.url} className="title">
                      {p.title}
                    </Link>{" "}
                    <span className="badge">{t(`project.status.${p.status}` as MessageKey)}</span>
                    <div className="muted small">{p.alliance}</div>
                  </li>
                ))}
              </ul>
            </Section>
          )}
          {d.deliveries.length > 0 && (
            <Section title={t("loop.deliveries")} id="deliveries">
              <ul className="plain">
                {d.deliveries.map((x) => (
                  <li key={x.id} className="delivery">
                    <p>
                      <strong>{x.studio}</strong> · {t("loop.deliveredOn", { date: x.date, hours: x.hours })}
                      {x.people.length ? ` · ${x.people.join("、")}` : ""}
                    </p>
                    <p>
                      {t("loop.work")}
                      {t.colon}
                      {x.work}
                    </p>
                    <p>
                      {t("loop.outcome")}
                      {t.colon}
                      {x.outcome}
                    </p>
                    <AttachmentLinks items={x.attachments} />
                  </li>
                ))}
              </ul>
              {need.rating && (
                <p>
                  {t("loop.rating")}
                  {t.colon}
                  {"★".repeat(need.rating)}
                  {"☆".repeat(5 - need.rating)}
                  {need.ratingComment ? ` · ${need.ratingComment}` : ""}
                </p>
              )}
            </Section>
          )}
          {d.candidates && <Candidates {...d.candidates} />}
          <NeedTimeline events={d.timeline} />
        </div>
        <aside className="side">
          {d.requester && <RequesterActions slug={need.slug} status={need.status} version={need.version} failed={failed} />}
          {d.dispatchable.length > 0 && (
            <DispatchForm version={need.version} studios={d.dispatchable} candidates={d.candidates?.list.map((c) => c.slug) ?? []} failed={failed} overdue={d.overdue} />
          )}
          {d.dispatches
            .filter((x) => x.mayAnswer)
            .map((x) => (
              <StudioAnswer
                key={x.studio.slug}
                studio={x.studio}
                state={x.state}
                version={need.version}
                people={d.teams.find((tm) => tm.studio === x.studio.slug)?.people ?? []}
                failed={failed}
              />
            ))}
          {d.dispatches.length > 0 && (
            <section className="panel">
              <h2>{t("need.dispatched")}</h2>
              <ul className="plain">
                {d.dispatches.map((x) => (
                  <li key={x.studio.slug}>
                    <Link to={`/studios/${x.studio.slug}`}>{x.studio.name}</Link> <span className={`badge dispatch-${x.state}`}>{t(`dispatchState.${x.state}` as MessageKey)}</span>
                    <div className="muted small">{x.enterprise}</div>
                    {x.visitDate && (
                      <div className="small">
                        {t("loop.visitDate")}
                        {t.colon}
                        {x.visitDate}
                        {x.people.length ? ` · ${x.people.join("、")}` : ""}
                      </div>
                    )}
                    {x.declineReason && (
                      <div className="small">
                        {t("loop.reason")}
                        {t.colon}
                        {x.declineReason}
                      </div>
                    )}
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

function Candidates({
  list,
  uncovered,
}: {
  list: { slug: string; name: string; enterprise: string; score: number; reasons: { type: string; text: string }[]; results: { slug: string; title: string }[] }[];
  uncovered: string[];
}) {
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
      {list.length === 0 ? (
        <p className="empty">{t("candidates.none")}</p>
      ) : (
        <>
          {uncovered.length === 0 && <p className="muted small">{t("candidates.allCovered")}</p>}
          <ol className="candidates" aria-label={t("candidates.title")}>
            {list.map((c) => (
              <li key={c.slug}>
                <div className="cand-head">
                  <Link to={`/studios/${c.slug}`} className="title">
                    {c.name}
                  </Link>
                  <span className="muted small">
                    {c.enterprise} · {t("candidates.score", { n: Math.round(c.score * 100) })}
                  </span>
                </div>
                <ul className="reasons">
                  {c.reasons.map((r, i) => (
                    <li key={i}>{r.text}</li>
                  ))}
                </ul>
                {c.results.length > 0 && (
                  <div className="cand-results">
                    <span className="muted">{t("candidates.results")}</span>{" "}
                    <ul>
                      {c.results.map((r) => (
                        <li key={r.slug}>
                          <Link to={`/results/${r.slug}`}>{r.title}</Link>
                        </li>
                      ))}
                    </ul>
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
