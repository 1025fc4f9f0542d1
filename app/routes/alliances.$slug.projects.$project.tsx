import { formatDateTime } from "~/utils/dates";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { EnterpriseChoice } from "~/components/enterprise-choice";
import { ErrorSummary, Field, Notice, SelectField, TextAreaField, useErrorText } from "~/components/forms";
import { Badge, PageHead, Section } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import {
  addProjectUpdate,
  completeMilestone,
  getProject,
  isMilestoneOverdue,
  mayUpdateProject,
  needChoices,
  NEXT_STATUS,
  PROJECT_STATUSES,
  projectUrl,
  projectChangeRefusal,
  setOutcome,
  setProjectNeed,
  setProjectStatus,
  type ProjectStatus,
} from "~/models/alliance.server";
import { needAccess } from "~/models/need-loop.server";
import { isResultVisibleTo, listResults, resultViewer } from "~/models/result.server";
import { requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { confirmedOnly, recordAdoption } from "~/models/adoption.server";
import { listEnterprises } from "~/models/enterprise.server";
import { forbidden, readForm, refusal, requireFound } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";
import { getUser } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageMeta(matches, data?.project.title ?? "notFound.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const p = await requireFound(await getProject(params.slug ?? "", params.project ?? ""));
  const user = await getUser(request);
  const studioIds = p.participants.map((x) => x.studioId);
  const readOnly = Boolean(p.alliance.dissolvedAt);
  // "participant" on this page: whoever may change the project now
  const participant = mayUpdateProject(user, p) && !readOnly;
  const viewer = await resultViewer(user);
  const candidates = participant ? (await listResults(viewer, { studioIds, perPage: Infinity })).results.map((r) => ({ slug: r.slug, title: r.title })) : [];
  const need = p.need && (await needAccess(user, p.need)) !== "none" ? { slug: p.need.slug, title: p.need.title } : null;
  // an outcome the visitor may not see is named nowhere on the page, nor are its adoptions
  const outcome = p.outcomeResult && isResultVisibleTo(viewer, p.outcomeResult) ? p.outcomeResult : null;
  return {
    alliance: { slug: p.alliance.slug, name: p.alliance.name },
    project: { slug: p.slug, title: p.title, goals: p.goals, status: p.status as ProjectStatus, startedBy: p.createdBy?.name ?? null },
    readOnly,
    need,
    needs: participant && user ? await needChoices(user) : [],
    participants: p.participants.map((x) => ({ slug: x.studio.slug, name: x.studio.name, enterprise: x.studio.enterprise.name, role: x.role })),
    milestones: p.milestones.map((m) => ({ id: m.id, title: m.title, dueOn: m.dueOn, done: Boolean(m.completedAt), overdue: isMilestoneOverdue(m, p.status) })),
    updates: p.updates.map((u) => ({ id: u.id, text: u.text, by: u.author?.name ?? "", at: u.createdAt.toISOString() })),
    outcome: outcome
      ? {
          slug: outcome.slug,
          title: outcome.title,
          adoptions: confirmedOnly(outcome.adoptions).map((a) => ({
            enterprise: a.enterprise.name,
            enterpriseSlug: a.enterprise.slug,
            adoptedOn: a.adoptedOn,
            benefit: a.benefit,
          })),
        }
      : null,
    outcomeHidden: Boolean(p.outcomeResult) && !outcome,
    participant,
    candidates,
    enterprises: participant && outcome ? (await listEnterprises()).map((e) => ({ slug: e.slug, name: e.name })) : [],
    next: NEXT_STATUS[p.status as ProjectStatus] ?? [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const p = await requireFound(await getProject(params.slug ?? "", params.project ?? ""));
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const studioIds = p.participants.map((x) => x.studioId);
  const refused = projectChangeRefusal(user, p);
  if (refused) throw refused.status === 403 ? forbidden(refused.reason) : refusal(409, "conflict", refused.reason);
  const here = projectUrl(p.alliance.slug, p.slug);
  const origin = siteOrigin(request);
  switch (form.get("intent")) {
    case "status": {
      const to = String(form.get("to"));
      if (!(PROJECT_STATUSES as readonly string[]).includes(to) || !(await setProjectStatus(p.id, to as ProjectStatus, user, origin))) {
        return data({ errors: { _form: `the project cannot move from ${p.status} to ${to}` } as Record<string, string>, values: {} as Record<string, string> }, { status: 409 });
      }
      break;
    }
    case "milestone":
      await completeMilestone(p.id, String(form.get("milestone")), form.get("done") === "1", user, origin);
      break;
    case "update": {
      const text = String(form.get("text") ?? "").trim();
      if (!text || text.length > 2000)
        return data({ errors: { text: text ? "form.tooLong" : "form.required" } as Record<string, string>, values: { text } as Record<string, string> }, { status: 400 });
      await addProjectUpdate(p.id, text, user);
      break;
    }
    case "outcome":
      if (!(await setOutcome(p.id, String(form.get("result") ?? ""), studioIds))) {
        return data({ errors: { result: "form.invalid" } as Record<string, string>, values: {} as Record<string, string> }, { status: 400 });
      }
      break;
    case "need":
      if (!(await setProjectNeed(p.id, String(form.get("need") ?? ""), user))) {
        return data({ errors: { need: "form.invalid" } as Record<string, string>, values: {} as Record<string, string> }, { status: 400 });
      }
      break;
    case "adopt": {
      if (!p.outcomeResultId) return data({ errors: { _form: "link an outcome result first" } as Record<string, string>, values: {} as Record<string, string> }, { status: 400 });
      const adopted = await recordAdoption(p.outcomeResultId, form, user);
      if (!adopted.ok) return data({ errors: adopted.errors, values: adopted.values }, { status: 400 });
      if (adopted.pending) throw redirect(`${here}?adoption=pending#outcome`);
      break;
    }
    default:
      throw refusal(400, "bad_request", "refused.unknownAction", "intent");
  }
  throw redirect(here);
}

export default function ProjectRoute() {
  const d = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  const e = failed?.errors ?? {};
  const err = useErrorText();
  const [params] = useSearchParams();
  return (
    <article className="record">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to="/alliances">{t("nav.alliances")}</Link> / <Link to={`/alliances/${d.alliance.slug}`}>{d.alliance.name}</Link>
      </nav>
      <PageHead title={d.project.title}>
        <p>
          <Badge tone={`project-${d.project.status}`}>{t(`project.status.${d.project.status}` as MessageKey)}</Badge>
          {d.project.startedBy && <span className="muted small"> {t("project.startedBy", { name: d.project.startedBy })}</span>}
        </p>
      </PageHead>
      {d.readOnly && <Notice>{t("project.readOnly")}</Notice>}
      <ErrorSummary errors={failed?.errors} />
      {d.participant && d.next.length > 0 && (
        <Form method="post" className="editor-actions">
          <CsrfInput />
          <input type="hidden" name="intent" value="status" />
          {d.next.map((s) => (
            <button key={s} type="submit" name="to" value={s} className={s === "cancelled" ? "button secondary" : "button"}>
              {t("project.moveTo", { status: t(`project.status.${s}` as MessageKey) })}
            </button>
          ))}
        </Form>
      )}
      {!d.participant && !d.readOnly && <p className="muted small">{t("project.updatersOnly")}</p>}
      <div className="record-grid">
        <div>
          <Section title={t("project.goals")} id="goals">
            <p className="pre">{d.project.goals}</p>
          </Section>
          <Section title={t("project.milestones")} id="milestones">
            <ul className="list">
              {d.milestones.map((m) => (
                <li key={m.id} className="member-row">
                  <span>
                    {m.done ? "✔ " : ""}
                    <strong>{m.title}</strong>{" "}
                    <span className="muted small">
                      {t("project.due")} {m.dueOn}
                    </span>{" "}
                    {m.done && <Badge tone="done">{t("project.done")}</Badge>}
                    {m.overdue && <Badge tone="warn">{t("project.overdue")}</Badge>}
                  </span>
                  {d.participant && (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="milestone" />
                      <input type="hidden" name="milestone" value={m.id} />
                      <input type="hidden" name="done" value={m.done ? "0" : "1"} />
                      <button type="submit" className="button secondary">
                        {m.done ? t("project.markOpen") : t("project.markDone")}
                        <span className="visually-hidden"> {m.title}</span>
                      </button>
                    </Form>
                  )}
                </li>
              ))}
            </ul>
          </Section>
          <Section title={t("project.outcome")} id="outcome">
            {params.get("adoption") === "pending" && <Notice>{t("adoption.pending")}</Notice>}
            {d.outcome ? (
              <>
                <p>
                  <Link to={`/results/${d.outcome.slug}`}>{d.outcome.title}</Link>
                </p>
                <h3>{t("project.adoptions")}</h3>
                <ul className="plain">
                  {d.outcome.adoptions.map((a) => (
                    <li key={a.enterprise}>
                      <Link to={`/enterprises/${a.enterpriseSlug}`}>{a.enterprise}</Link> · {a.adoptedOn} · {a.benefit}
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p className="empty">{t(d.outcomeHidden ? "project.outcomeHidden" : "project.noOutcome")}</p>
            )}
            {d.participant && (
              <Form method="post" className="inline-form">
                <CsrfInput />
                <input type="hidden" name="intent" value="outcome" />
                <SelectField
                  label={t("project.setOutcome")}
                  name="result"
                  value={d.outcome?.slug ?? d.candidates[0]?.slug ?? ""}
                  options={d.candidates.map((r) => [r.slug, r.title])}
                />
                <button type="submit" className="button secondary">
                  {t("project.setOutcome")}
                </button>
              </Form>
            )}
            {d.participant && d.outcome && (
              <Form method="post" className="stack-form">
                <CsrfInput />
                <input type="hidden" name="intent" value="adopt" />
                <h3>{t("project.adopt")}</h3>
                <EnterpriseChoice enterprises={d.enterprises} values={failed?.values ?? {}} errors={e} pickLabel={t("project.adoptEnterprise")} />
                <Field label={t("project.adoptDate")} name="adoptedOn" type="date" error={e.adoptedOn} defaultValue={failed?.values?.adoptedOn} />
                <Field label={t("project.adoptBenefit")} name="benefit" error={e.benefit} defaultValue={failed?.values?.benefit} />
                <button type="submit" className="button">
                  {t("project.adopt")}
                </button>
              </Form>
            )}
          </Section>
          <Section title={t("project.updates")} id="updates">
            {d.participant && (
              <Form method="post" className="stack-form">
                <CsrfInput />
                <input type="hidden" name="intent" value="update" />
                <TextAreaField label={t("project.postUpdate")} name="text" rows={2} error={e.text} defaultValue={failed?.values?.text} />
                <button type="submit" className="button">
                  {t("project.postUpdate")}
                </button>
              </Form>
            )}
            <ul className="list">
              {d.updates.map((u) => (
                <li key={u.id}>
                  <p className="pre">{u.text}</p>
                  <div className="muted small">
                    {u.by} · {formatDateTime(u.at)}
                  </div>
                </li>
              ))}
            </ul>
          </Section>
        </div>
        <aside className="side">
          <section className="panel">
            <h2>{t("project.need")}</h2>
            {d.need ? (
              <p>
                <Link to={`/needs/${d.need.slug}`}>{d.need.title}</Link>
              </p>
            ) : (
              <p className="muted small">{t("project.needNone")}</p>
            )}
            {d.participant && (
              <Form method="post" className="stack-form">
                <CsrfInput />
                <input type="hidden" name="intent" value="need" />
                <SelectField
                  label={t("project.setNeed")}
                  name="need"
                  value={d.need?.slug ?? ""}
                  error={err(e.need)}
                  options={[["", t("project.needNone")], ...d.needs.map((n): [string, string] => [n.slug, n.title])]}
                />
                <button type="submit" className="button secondary">
                  {t("project.setNeed")}
                </button>
              </Form>
            )}
          </section>
          <section className="panel">
            <h2>{t("project.partners")}</h2>
            <ul className="plain">
              {d.participants.map((p) => (
                <li key={p.slug}>
                  <Link to={`/studios/${p.slug}`}>{p.name}</Link> <Badge>{t(`project.role.${p.role}` as MessageKey)}</Badge>
                  <div className="muted small">{p.enterprise}</div>
                </li>
              ))}
            </ul>
          </section>
        </aside>
      </div>
    </article>
  );
}
