import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { Notice, TextAreaField } from "~/components/forms";
import { Badge, RichText, Section, Tags } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { renderBodyHtml } from "~/lexical/render.server";
import { excerpt } from "~/lexical/text";
import { endMembership, findAlliance, getAlliance, inviteStudios, isMilestoneOverdue, mayManageAlliance, projectUrl, respond, suggestStudios } from "~/models/alliance.server";
import { enterpriseContactNames } from "~/models/notification.server";
import { listResults, resultViewer } from "~/models/result.server";
import { studioChoices, studiosBySlug } from "~/models/studio.server";
import { isCoordinator, requireUser, studioRole } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { getLocale } from "~/i18n/locale.server";
import { forbidden, readForm, refusal, requireFound } from "~/utils/http.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";
import { getUser } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? pageMeta(matches, data.alliance.name, data.description) : pageMeta(matches, "notFound.title"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const a = await requireFound(await getAlliance(params.slug ?? ""));
  const user = await getUser(request);
  const accepted = a.members.filter((m) => m.state === "accepted");
  const dissolved = Boolean(a.dissolvedAt);
  const coordinator = isCoordinator(user);
  const manager = mayManageAlliance(user, a);
  const { results } = await listResults(await resultViewer(user), { studioIds: accepted.map((m) => m.studioId), perPage: Infinity });
  const skillCount = new Map<string, number>();
  for (const m of accepted) for (const s of m.studio.specialties) skillCount.set(s, (skillCount.get(s) ?? 0) + 1);
  const suggestions = coordinator && !dissolved ? await suggestStudios(a.members, await getLocale(request)) : [];
  // whom a forwarded invitation reached, for the coordinators (contacts' names are not public)
  const reached = async (m: (typeof a.members)[number]) =>
    !coordinator || m.state !== "invited" || m.reachedVia === "studio"
      ? null
      : m.reachedVia === "enterprise"
        ? { via: "enterprise" as const, names: (await enterpriseContactNames(m.studio.enterpriseId)).join("、") }
        : { via: "site" as const, names: "" };
  const done = (["saved", "unchanged", "dissolved"] as const).find((x) => x === new URL(request.url).searchParams.get("done")) ?? null;
  return {
    done,
    description: excerpt(a.charterText, 150),
    alliance: {
      slug: a.slug,
      name: a.name,
      theme: a.theme,
      industries: a.industries,
      html: renderBodyHtml(a.charter),
      createdBy: a.createdBy?.name ?? null,
      dissolvedAt: a.dissolvedAt?.toISOString() ?? null,
    },
    members: await Promise.all(
      a.members.map(async (m) => ({
        studioId: m.studioId,
        slug: m.studio.slug,
        name: m.studio.name,
        enterprise: m.studio.enterprise.name,
        enterpriseSlug: m.studio.enterprise.slug,
        industry: m.studio.industry,
        state: m.state,
        myRole: studioRole(user, m.studioId),
        declineReason: coordinator ? m.declineReason : "",
        reached: await reached(m),
      })),
    ),
    enterprises: new Set(accepted.map((m) => m.studio.enterpriseId)).size,
    skills: [...skillCount.entries()]
      .sort((x, y) => y[1] - x[1])
      .map(([s]) => s)
      .slice(0, 30),
    results: results.map((r) => ({ slug: r.slug, title: r.title, studio: r.studio.name, allianceOnly: r.visibility === "alliance", status: r.status })),
    projects: a.projects.map((p) => ({
      url: projectUrl(a.slug, p.slug),
      title: p.title,
      status: p.status,
      studios: p.participants.map((x) => x.studio.name),
      milestones: p.milestones.length,
      done: p.milestones.filter((m) => m.completedAt).length,
      overdue: p.milestones.filter((m) => isMilestoneOverdue(m, p.status)).length,
    })),
    activities: a.activities.map((x) => ({ id: x.id, verb: x.verb, summary: x.summary, by: x.actor?.name ?? null, at: x.createdAt.toISOString() })),
    coordinator: coordinator && !dissolved,
    manager: manager && !dissolved,
    canPropose: !dissolved && (coordinator || a.members.some((m) => m.state === "accepted" && studioRole(user, m.studioId) === "admin")),
    suggestions,
    allStudios: coordinator && !dissolved ? await studioChoices() : [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const a = await requireFound(await findAlliance(params.slug ?? ""));
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const intent = form.get("intent");
  const studio = String(form.get("studio") ?? "");
  type Answer = { invited: string[] | null; error: MessageKey | null; done?: { kind: "withdrawn" | "removed"; studio: string } };
  const refused = (out: { status: 403 | 409; reason: MessageKey }) => {
    if (out.status === 403) throw forbidden(out.reason);
    return data<Answer>({ invited: null, error: out.reason }, { status: 409 });
  };
  if (intent === "invite") {
    const slugs = form.getAll("studio").filter((s): s is string => typeof s === "string" && /^[a-z0-9-]{1,80}$/.test(s));
    const out = await inviteStudios(a.id, slugs, user, siteOrigin(request));
    if (!out.ok) return refused(out);
    return data<Answer>({ invited: out.invited, error: null });
  }
  if (intent === "accept" || intent === "decline" || intent === "leave") {
    const reason = String(form.get("reason") ?? "");
    const out = await respond(a.id, studio, intent, user, siteOrigin(request), reason);
    if (!out.ok) return refused(out);
    return data<Answer>({ invited: null, error: null });
  }
  if (intent === "withdraw" || intent === "remove") {
    const out = await endMembership(a.id, studio, intent, user, siteOrigin(request));
    if (!out.ok) return refused(out);
    const name = (await studiosBySlug([studio]))[0]?.name ?? studio;
    return data<Answer>({ invited: null, error: null, done: { kind: intent === "withdraw" ? "withdrawn" : "removed", studio: name } });
  }
  throw refusal(400, "bad_request", "refused.unknownAction", "intent");
}

export default function AllianceRoute() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const accepted = d.members.filter((m) => m.state === "accepted");
  const others = d.members.filter((m) => m.state !== "accepted");
  const mine = d.members.filter((m) => m.myRole === "admin");
  return (
    <article className="record">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to="/alliances">{t("nav.alliances")}</Link>
      </nav>
      <header className="page-head">
        <h1>{d.alliance.name}</h1>
        <p className="lead">
          {t("alliance.theme")}
          {t.colon}
          {d.alliance.theme}
        </p>
        <p className="muted">
          {t("alliances.counts", { studios: accepted.length, enterprises: d.enterprises, projects: d.projects.length })}
          {d.alliance.createdBy && <> · {t("alliance.startedBy", { name: d.alliance.createdBy })}</>}
          {d.alliance.dissolvedAt && (
            <>
              {" "}
              <Badge tone="warn">{t("alliance.dissolvedBadge")}</Badge>
            </>
          )}
        </p>
        {d.manager && (
          <p className="editor-actions">
            <Link to={`/alliances/${d.alliance.slug}/edit`} className="button secondary">
              {t("alliance.manage")}
            </Link>
          </p>
        )}
      </header>
      {d.alliance.dissolvedAt && <Notice>{t("alliance.dissolvedBanner", { date: d.alliance.dissolvedAt.slice(0, 10) })}</Notice>}
      {d.done && !result && <Notice tone="success">{t(`alliance.done.${d.done}`)}</Notice>}
      {result?.done && <Notice tone="success">{t(`alliance.done.${result.done.kind}`, { studio: result.done.studio })}</Notice>}
      {result?.invited && result.invited.length > 0 && <Notice tone="success">{t("alliance.invitedNotice", { names: result.invited.join("、") })}</Notice>}
      {result?.error && (
        <p className="error-message" role="alert">
          {t(result.error)}
        </p>
      )}
      {mine
        .filter((m) => m.state === "invited" && !d.alliance.dissolvedAt)
        .map((m) => (
          <Form key={m.slug} method="post" className="invitation-box">
            <CsrfInput />
            <input type="hidden" name="studio" value={m.slug} />
            <p>{t("alliance.yourInvitation", { studio: m.name })}</p>
            <button type="submit" name="intent" value="accept" className="button">
              {t("alliance.accept")} · {m.name}
            </button>
            <TextAreaField label={t("alliance.declineReason")} name="reason" rows={2} maxLength={500} />
            <button type="submit" name="intent" value="decline" className="button secondary">
              {t("alliance.decline")}
              <span className="visually-hidden"> · {m.name}</span>
            </button>
          </Form>
        ))}
      <div className="record-grid">
        <div>
          <Section title={`${t("alliance.members")} (${accepted.length})`} id="members">
            <ul className="cards compact">
              {accepted.map((m) => (
                <li key={m.slug} className="card">
                  <h3 className="card-title">
                    <Link to={`/studios/${m.slug}`}>{m.name}</Link>
                  </h3>
                  <p className="muted small">
                    <Link to={`/enterprises/${m.enterpriseSlug}`}>{m.enterprise}</Link> · {industryName(m.industry, t.locale)}
                  </p>
                  {m.myRole === "admin" && !d.alliance.dissolvedAt && (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="studio" value={m.slug} />
                      <button type="submit" name="intent" value="leave" className="link-like small">
                        {t("alliance.leave")}
                      </button>
                    </Form>
                  )}
                  {d.manager && (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="studio" value={m.slug} />
                      <button type="submit" name="intent" value="remove" className="link-like small">
                        {t("alliance.remove")}
                        <span className="visually-hidden"> · {m.name}</span>
                      </button>
                    </Form>
                  )}
                </li>
              ))}
            </ul>
            {others.length > 0 && (
              <>
                <h3 className="small">{t("alliance.pending")}</h3>
                <ul className="plain small member-states">
                  {others.map((m) => (
                    <li key={m.slug}>
                      <Link to={`/studios/${m.slug}`}>{m.name}</Link> <span className="muted">{m.enterprise}</span> <Badge>{t(`alliance.${m.state}` as MessageKey)}</Badge>
                      {m.declineReason && <div className="muted">{t("alliance.declineReasonShown", { reason: m.declineReason })}</div>}
                      {m.reached && (
                        <div className="muted">{m.reached.via === "enterprise" ? t("alliance.reached.enterprise", { names: m.reached.names }) : t("alliance.reached.site")}</div>
                      )}
                      {d.manager && m.state === "invited" && (
                        <Form method="post" className="inline">
                          <CsrfInput />
                          <input type="hidden" name="studio" value={m.slug} />
                          <button type="submit" name="intent" value="withdraw" className="link-like small">
                            {t("alliance.withdraw")}
                            <span className="visually-hidden"> · {m.name}</span>
                          </button>
                        </Form>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Section>
          <Section title={t("alliance.projects")} id="projects">
            {d.projects.length === 0 ? (
              <p className="empty">{t("alliance.noProjects")}</p>
            ) : (
              <ul className="list">
                {d.projects.map((p) => (
                  <li key={p.url}>
                    <Link to={p.url} className="title">
                      {p.title}
                    </Link>{" "}
                    <Badge tone={`project-${p.status}`}>{t(`project.status.${p.status}` as MessageKey)}</Badge>
                    {p.overdue > 0 && <Badge tone="warn">{t("project.overdueCount", { n: p.overdue })}</Badge>}
                    <div className="muted small">
                      {p.studios.join("、")} · {t("project.milestones")} {p.done}/{p.milestones}
                    </div>
                  </li>
                ))}
              </ul>
            )}
            {d.canPropose && accepted.length > 0 && (
              <p>
                <Link to={`/alliances/${d.alliance.slug}/projects/new`} className="button">
                  {t("project.new")}
                </Link>
              </p>
            )}
          </Section>
          <Section title={t("alliance.results")} id="results">
            <ul className="list">
              {d.results.map((r) => (
                <li key={r.slug}>
                  {/* alliance-only results are listed only to those who may open them */}
                  <Link to={`/results/${r.slug}`} className="title">
                    {r.title}
                  </Link>{" "}
                  {r.allianceOnly && <Badge tone="alliance-only">{t("alliance.allianceOnly")}</Badge>}
                  <div className="muted small">
                    {r.studio} · {t(`resultStatus.${r.status}` as MessageKey)}
                  </div>
                </li>
              ))}
            </ul>
          </Section>
          <Section title={t("alliance.charter")} id="charter">
            <RichText html={d.alliance.html} />
          </Section>
        </div>
        <aside className="side">
          <section className="panel">
            <h2>{t("alliance.skills")}</h2>
            <Tags items={d.skills} />
          </section>
          {d.coordinator && (
            <section className="panel">
              <h2>{t("alliance.invite")}</h2>
              <Form method="post">
                <CsrfInput />
                {d.suggestions.length > 0 && <p className="muted small">{t("alliance.inviteHint")}</p>}
                {d.suggestions.map((s) => (
                  <label key={s.slug} className="check">
                    <input type="checkbox" name="studio" value={s.slug} />{" "}
                    <span>
                      {s.name}{" "}
                      <span className="muted small">
                        {s.enterprise} · {s.reason}
                      </span>
                    </span>
                  </label>
                ))}
                <label className="field">
                  <span className="visually-hidden">{t("alliance.invite")}</span>
                  <select name="studio" defaultValue="" aria-label={t("alliance.invite")}>
                    <option value="">—</option>
                    {d.allStudios.map((s) => (
                      <option key={s.slug} value={s.slug}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" name="intent" value="invite" className="button">
                  {t("alliance.inviteButton")}
                </button>
              </Form>
            </section>
          )}
          <section className="panel">
            <h2>{t("alliance.activity")}</h2>
            <ul className="plain small">
              {d.activities.map((x) => (
                <li key={x.id}>
                  <time>{x.at.slice(0, 10)}</time> {x.by ? `${x.by} · ` : ""}
                  {x.summary} <span className="muted">({t.has(`admin.audit.verb.${x.verb}`) ? t(`admin.audit.verb.${x.verb}` as MessageKey) : x.verb})</span>
                </li>
              ))}
            </ul>
          </section>
        </aside>
      </div>
    </article>
  );
}
