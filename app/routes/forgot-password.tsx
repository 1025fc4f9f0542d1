import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, Notice } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { ForgotPasswordSchema } from "~/models/form-schemas.server";
import { requestPasswordReset } from "~/models/user.server";
import { requireCsrf } from "~/utils/csrf.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";
import { getUser } from "~/utils/session.server";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "auth.forgotTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/account");
  return null;
}

/** Always the same answer for an address with or without an account. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = parseForm(ForgotPasswordSchema, form);
  if (!parsed.ok) return data({ sentTo: null, errors: parsed.errors as FieldErrors | null, values: parsed.values, minutes: 0 }, { status: 400 });
  const address = String(context.clientAddress ?? "unknown").slice(0, 80);
  const sent = await requestPasswordReset(parsed.data.email, address, siteOrigin());
  if (!sent.ok) {
    return data({ sentTo: null, errors: { _form: "auth.forgotRateLimited" } as FieldErrors, values: parsed.values, minutes: sent.retryMinutes }, { status: 429 });
  }
  return { sentTo: parsed.data.email, errors: null as FieldErrors | null, values: parsed.values, minutes: 0 };
}

export default function ForgotPasswordRoute() {
  const result = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state === "submitting";
  if (result?.sentTo) {
    return (
      <div className="narrow">
        <PageHead title={t("auth.checkMailTitle")} />
        <Notice tone="success">{t("auth.forgotSent", { email: result.sentTo })}</Notice>
      </div>
    );
  }
  const errors = result?.errors?._form ? { _form: t("auth.forgotRateLimited", { minutes: result.minutes }) } : result?.errors;
  return (
    <div className="narrow">
      <PageHead title={t("auth.forgotTitle")} lead={t("auth.forgotLead")} />
      <ErrorSummary errors={errors} />
      <Form method="post" className="stack-form" noValidate>
        <CsrfInput />
        <Field label={t("auth.email")} name="email" type="email" autoComplete="email" required defaultValue={result?.values?.email ?? ""} error={result?.errors?.email} />
        <button type="submit" className="button" disabled={busy}>
          {t("auth.forgotSend")}
        </button>
      </Form>
      <p>
        <Link to="/login">{t("auth.login")}</Link>
      </p>
    </div>
  );
}
