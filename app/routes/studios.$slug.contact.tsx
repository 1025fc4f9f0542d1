import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, Notice, TextAreaField } from "~/components/forms";
import { PageHead } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { enquiryTarget, sendEnquiry } from "~/models/enquiry.server";
import { resultViewer } from "~/models/result.server";
import { requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { readForm, requireFound } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";
import { getUser } from "~/utils/session.server";

// 需求对接: the form behind every "联系工作室" link (studio and result pages). Anyone may open it;
// anonymous visitors are asked to sign in and come back; signed-in users send the studio a message.

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageMeta(matches, data ? data.title : "notFound.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const url = new URL(request.url);
  const target = await requireFound(await enquiryTarget(await resultViewer(user), params.slug ?? "", url.searchParams.get("result")));
  const here = `/studios/${target.studio.slug}/contact${target.result ? `?result=${encodeURIComponent(target.result.slug)}` : ""}`;
  return {
    ...target,
    title: `${target.studio.name}`,
    signIn: user ? null : `/login?redirectTo=${encodeURIComponent(here)}`,
    defaults: user ? { contactName: user.name, contact: user.email } : { contactName: "", contact: "" },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const slug = params.slug ?? "";
  const outcome = await sendEnquiry(user, slug, form, { origin: siteOrigin(request), viewer: await resultViewer(user) });
  if (outcome.ok) {
    const result = form.get("result");
    throw redirect(`/studios/${slug}/contact?sent=1${typeof result === "string" && result ? `&result=${encodeURIComponent(result)}` : ""}`);
  }
  if (outcome.status === 404) await requireFound(null);
  return data({ errors: outcome.errors, values: outcome.values, vars: outcome.vars ?? null }, { status: outcome.status });
}

export default function StudioContactRoute() {
  const { studio, result, signIn, defaults } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const e = failed?.errors ?? {};
  const v = failed?.values ?? {};
  const limited = failed?.vars && e._form ? t(e._form as MessageKey, failed.vars) : null;
  return (
    <div className="narrow">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to={`/studios/${studio.slug}`}>{studio.name}</Link>
        {result && (
          <>
            {" "}
            / <Link to={`/results/${result.slug}`}>{result.title}</Link>
          </>
        )}
      </nav>
      <PageHead title={t("enquiry.title", { studio: studio.name })} lead={result ? t("enquiry.leadResult", { result: result.title }) : t("enquiry.lead")} />
      {params.get("sent") ? (
        <>
          <Notice tone="success">{t("enquiry.sent", { studio: studio.name })}</Notice>
          <p>
            <Link to={result ? `/results/${result.slug}` : `/studios/${studio.slug}`}>{result ? result.title : studio.name} →</Link>
          </p>
        </>
      ) : signIn ? (
        <section className="panel" aria-labelledby="sign-in-h">
          <h2 id="sign-in-h">{t("enquiry.signInTitle")}</h2>
          <p>{t("enquiry.signIn")}</p>
          <p>
            <Link to={signIn} className="button">
              {t("enquiry.signInButton")}
            </Link>
          </p>
        </section>
      ) : (
        <Form method="post" className="stack-form" noValidate>
          <CsrfInput />
          {limited ? (
            <div className="error-summary" role="alert">
              <p>{limited}</p>
            </div>
          ) : (
            <ErrorSummary errors={failed?.errors} />
          )}
          {result && <input type="hidden" name="result" value={result.slug} />}
          <TextAreaField
            label={t("enquiry.message")}
            name="message"
            rows={6}
            required
            maxLength={2000}
            defaultValue={v.message ?? ""}
            error={e.message}
            hint={t("enquiry.messageHint")}
          />
          <div className="field-row">
            <Field label={t("enquiry.contactName")} name="contactName" required maxLength={40} defaultValue={v.contactName ?? defaults.contactName} error={e.contactName} />
            <Field label={t("enquiry.organisation")} name="organisation" maxLength={80} defaultValue={v.organisation ?? ""} error={e.organisation} />
          </div>
          <Field
            label={t("enquiry.contact")}
            name="contact"
            required
            maxLength={80}
            defaultValue={v.contact ?? defaults.contact}
            error={e.contact}
            hint={t("enquiry.contactHint")}
          />
          <div className="form-actions">
            <button type="submit" className="button">
              {t("enquiry.send")}
            </button>
          </div>
        </Form>
      )}
    </div>
  );
}
