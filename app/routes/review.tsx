import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Notice, TextAreaField } from "~/components/forms";
import { PageHead, Section } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { decideRecognition, pendingRecognitions } from "~/models/recognition.server";
import { decideReview, pendingReviews, reviewIsOn } from "~/models/review.server";
import { decideApplication, pendingApplications } from "~/models/studio-application.server";
import { requireCoordinator } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { formatDate } from "~/utils/dates";
import { forbidden, readForm } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";
import styles from "~/styles/review.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "review.title");

/** 审核队列 — coordinators and site admins decide what waits: recognition requests, content, applications. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireCoordinator(request);
  const done = new URL(request.url).searchParams.get("done");
  const [on, recognitions, content, applications] = await Promise.all([reviewIsOn(), pendingRecognitions(), pendingReviews(), pendingApplications()]);
  return { on, recognitions, content, applications, done: done === "approved" || done === "returned" ? done : null };
}

const TYPES = ["recognition", "content", "application"] as const;

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireCoordinator(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const intent = form.get("intent");
  const type = String(form.get("type") ?? "");
  const id = String(form.get("id") ?? "");
  const reason = String(form.get("reason") ?? "");
  if ((intent !== "approve" && intent !== "return") || !(TYPES as readonly string[]).includes(type)) {
    return data({ id, errors: { _form: "form.invalid" } as Record<string, string>, reason }, { status: 400 });
  }
  const decide = type === "recognition" ? decideRecognition : type === "content" ? decideReview : decideApplication;
  const out = await decide(actor, id, intent, reason, siteOrigin(request));
  if (out.ok) throw redirect(`/review?done=${intent === "approve" ? "approved" : "returned"}`);
  if (out.status === 403) throw forbidden(out.reason);
  return data({ id, errors: { [out.field ?? "_form"]: out.reason } as Record<string, string>, reason }, { status: out.status });
}

export default function ReviewRoute() {
  const { on, recognitions, content, applications, done } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  const empty = !recognitions.length && !content.length && !applications.length;
  return (
    <div className="narrow wide review-page">
      <PageHead title={t("review.title")} lead={t("review.lead")} />
      <p className="muted">{on ? t("review.settingOn") : t("review.settingOff")}</p>
      {failed && !failed.id && <ErrorSummary errors={failed.errors} />}
      {!failed && done && <Notice tone="success">{t(done === "approved" ? "review.done.approved" : "review.done.returned")}</Notice>}
      {empty && <p className="empty">{t("review.empty")}</p>}
      {recognitions.length > 0 && (
        <Section title={t("review.section.recognition")} id="recognition">
          <ul className="review-list">
            {recognitions.map((r) => (
              <li key={r.id} className="review-item">
                <h3>
                  <Link to={`/studios/${r.studio.slug}`}>{r.studio.name}</Link>
                </h3>
                <p className="review-change">
                  <span className="badge">{t(`level.${r.studio.level}` as MessageKey)}</span> → <span className="badge review-pending">{t(`level.${r.level}` as MessageKey)}</span>
                </p>
                {r.honours.length > 0 && <p className="small">{r.honours.join("；")}</p>}
                <p className="review-evidence small">{r.evidence}</p>
                {r.attachment && (
                  <p className="review-attachment">
                    <a href={r.attachment} target="_blank" rel="noreferrer">
                      <img src={r.attachment} alt={t("recognition.attachment")} />
                    </a>
                  </p>
                )}
                <p className="muted small">{t("review.submittedBy", { name: r.requestedBy ?? "—", date: formatDate(r.createdAt) })}</p>
                <Decide type="recognition" id={r.id} label={t("recognition.of", { studio: r.studio.name })} failed={failed} />
              </li>
            ))}
          </ul>
        </Section>
      )}
      {content.length > 0 && (
        <Section title={t("review.section.content")} id="content">
          <ul className="review-list">
            {content.map((c) => (
              <li key={c.id} className="review-item">
                <h3>
                  <Link to={c.url}>{c.title}</Link>
                </h3>
                <p className="review-change">
                  <span className="badge">{t(`review.type.${c.type}` as MessageKey)}</span>
                  <span className="badge review-pending">{t(`review.kind.${c.kind}` as MessageKey)}</span>
                  <span className="muted small">{c.owner}</span>
                </p>
                {c.changes.length > 0 && (
                  <table className="review-changes small">
                    <caption className="muted">{t("review.changes")}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t("review.field")}</th>
                        <th scope="col">{t("review.before")}</th>
                        <th scope="col">{t("review.after")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {c.changes.map((x) => (
                        <tr key={x.field}>
                          <th scope="row">{t(`review.field.${x.field}` as MessageKey)}</th>
                          <td>{x.before || "—"}</td>
                          <td>{x.after || "—"}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                <p className="muted small">{t("review.submittedBy", { name: c.submittedBy ?? "—", date: formatDate(c.createdAt) })}</p>
                <Decide type="content" id={c.id} label={c.title} failed={failed} />
              </li>
            ))}
          </ul>
        </Section>
      )}
      {applications.length > 0 && (
        <Section title={t("review.section.applications")} id="applications">
          <ul className="review-list">
            {applications.map((a) => (
              <li key={a.id} className="review-item">
                <h3>{a.name}</h3>
                <p className="review-change">
                  <span className="badge review-pending">{t(`level.${a.level}` as MessageKey)}</span>
                  <span className="small">{a.enterprise}</span>
                  <span className="muted small">{a.leader}</span>
                </p>
                {a.specialties.length > 0 && <p className="small">{a.specialties.join("、")}</p>}
                <p className="review-evidence small">{a.introduction}</p>
                {a.attachment && (
                  <p className="review-attachment">
                    <a href={a.attachment} target="_blank" rel="noreferrer">
                      <img src={a.attachment} alt={t("apply.attachment")} />
                    </a>
                  </p>
                )}
                <p className="muted small">{t("apply.by", { name: a.applicant })}</p>
                <Decide type="application" id={a.id} label={a.name} failed={failed} />
              </li>
            ))}
          </ul>
        </Section>
      )}
    </div>
  );
}

function Decide({
  type,
  id,
  label,
  failed,
}: {
  type: (typeof TYPES)[number];
  id: string;
  label: ReactNode;
  failed?: { id: string; errors: Record<string, string>; reason: string };
}) {
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const mine = failed?.id === id ? failed : null;
  return (
    <Form method="post" className="review-decide" aria-label={typeof label === "string" ? label : undefined}>
      <CsrfInput />
      <input type="hidden" name="type" value={type} />
      <input type="hidden" name="id" value={id} />
      {mine?.errors._form && <ErrorSummary errors={mine.errors} />}
      <TextAreaField
        label={t("review.reason")}
        name="reason"
        rows={1}
        maxLength={1000}
        hint={t("review.reasonHint")}
        defaultValue={mine?.reason ?? ""}
        error={mine?.errors.reason}
      />
      <div className="buttons">
        <button type="submit" name="intent" value="approve" className="button" disabled={busy}>
          {t("review.approve")}
        </button>
        <button type="submit" name="intent" value="return" className="button secondary" disabled={busy}>
          {t("review.return")}
        </button>
      </div>
    </Form>
  );
}
