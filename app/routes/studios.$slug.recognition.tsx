import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, Notice, SelectField, TextAreaField, useErrorText } from "~/components/forms";
import { PageHead, Section } from "~/components/ui";
import { LEVELS } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { requestRecognition, setRecognition, studioRecognitions } from "~/models/recognition.server";
import { findStudio } from "~/models/studio.server";
import { isCoordinator, requireUser, studioRole } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { formatDate } from "~/utils/dates";
import { forbidden, readForm, requireFound } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";
import styles from "~/styles/review.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "recognition.title");

/** Studio admins (who request) and coordinators and site admins (who set) see this page. */
async function gate(request: Request, slug: string) {
  const studio = await requireFound(await findStudio(slug));
  const user = await requireUser(request);
  const mode = isCoordinator(user) ? ("set" as const) : studioRole(user, studio.id) === "admin" ? ("request" as const) : null;
  if (!mode) throw forbidden("refused.studioAdmin");
  return { studio, user, mode };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { studio, mode } = await gate(request, params.slug ?? "");
  const done = new URL(request.url).searchParams.get("done");
  return {
    mode,
    studio: { slug: studio.slug, name: studio.name, level: studio.level, honours: studio.honours },
    requests: await studioRecognitions(studio.id),
    done: done === "requested" || done === "set" ? done : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const slug = params.slug ?? "";
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const out = form.get("intent") === "set" ? await setRecognition(user, slug, form) : await requestRecognition(user, slug, form, siteOrigin(request));
  if (out.ok) throw redirect(`/studios/${slug}/recognition?done=${form.get("intent") === "set" ? "set" : "requested"}`);
  if (out.status === 403) throw forbidden(out.errors._form as MessageKey);
  return data({ errors: out.errors, values: out.values }, { status: out.status });
}

export default function RecognitionRoute() {
  const { mode, studio, requests, done } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const err = useErrorText();
  const e = failed?.errors ?? {};
  const v = (name: string, fallback: string) => failed?.values[name] ?? fallback;
  const waiting = requests.some((r) => r.status === "pending");
  return (
    <div className="narrow wide review-page">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to={`/studios/${studio.slug}`}>{studio.name}</Link>
      </nav>
      <PageHead title={t("recognition.title")} lead={t("recognition.lead")} />
      {failed && <ErrorSummary errors={failed.errors} />}
      {!failed && done && <Notice tone="success">{t(done === "set" ? "recognition.done.set" : "recognition.done.requested")}</Notice>}
      <Section title={t("recognition.current")} id="current">
        <p>
          {t("recognition.level")}：<span className="badge level-badge">{t(`level.${studio.level}` as MessageKey)}</span>
        </p>
        {studio.honours.length > 0 && (
          <ul className="plain-list">
            {studio.honours.map((h) => (
              <li key={h}>{h}</li>
            ))}
          </ul>
        )}
      </Section>
      {(mode === "set" || !waiting) && (
        <Section title={mode === "set" ? t("recognition.set") : t("recognition.nav")} id="form">
          <p className="muted">{mode === "set" ? t("recognition.setLead") : t("recognition.requestLead")}</p>
          <Form method="post" encType="multipart/form-data" className="stack-form" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value={mode} />
            <SelectField
              label={t("recognition.level")}
              name="level"
              value={v("level", studio.level)}
              error={err(e.level)}
              options={LEVELS.map((l) => [l, t(`level.${l}` as MessageKey)])}
            />
            <TextAreaField
              label={t("recognition.honours")}
              name="honours"
              rows={3}
              defaultValue={v("honours", studio.honours.join("\n"))}
              hint={t("recognition.honoursHint")}
              error={e.honours}
            />
            <TextAreaField
              label={t("recognition.evidence")}
              name="evidence"
              rows={3}
              required={mode === "request"}
              defaultValue={v("evidence", "")}
              hint={t("recognition.evidenceHint")}
              error={e.evidence}
            />
            {mode === "request" && (
              <Field label={t("recognition.attachment")} name="attachment" type="file" accept="image/*" hint={t("recognition.attachmentHint")} error={e.attachment} />
            )}
            <div>
              <button type="submit" className="button" disabled={busy}>
                {mode === "set" ? t("recognition.set") : t("recognition.request")}
              </button>
            </div>
          </Form>
        </Section>
      )}
      <Section title={t("recognition.history")} id="requests">
        {requests.length === 0 ? (
          <p className="muted">{t("recognition.none")}</p>
        ) : (
          <ul className="list review-list">
            {requests.map((r) => (
              <li key={r.id} className="review-item">
                <p>
                  <span className={`badge review-${r.status}`}>{t(`recognition.status.${r.status}` as MessageKey)}</span>{" "}
                  <strong>{t("recognition.asked", { level: t(`level.${r.level}` as MessageKey) })}</strong>{" "}
                  <span className="muted small">{t("review.submittedBy", { name: r.requestedBy ?? "—", date: formatDate(r.createdAt) })}</span>
                </p>
                {r.honours.length > 0 && <p className="small">{r.honours.join("；")}</p>}
                <p className="small">{r.evidence}</p>
                {r.status === "returned" && <p className="field-error">{t("recognition.reasonWas", { reason: r.reason })}</p>}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
