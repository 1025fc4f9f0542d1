import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { ResetPasswordSchema } from "~/models/form-schemas.server";
import { resetLinkUsable, resetPassword } from "~/models/user.server";
import { requireCsrf } from "~/utils/csrf.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "auth.resetTitle");

// the token is in the address: never in a Referer header, never in a cache
export const headers = () => ({ "Referrer-Policy": "no-referrer", "Cache-Control": "private, no-store" });

export async function loader({ params }: LoaderFunctionArgs) {
  const usable = await resetLinkUsable(params.token ?? "");
  return data({ usable }, { status: usable ? 200 : 410 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  await requireCsrf(request, form);
  const token = params.token ?? "";
  if (!(await resetLinkUsable(token))) return data({ usable: false, errors: null as FieldErrors | null }, { status: 410 });
  const parsed = parseForm(ResetPasswordSchema, form);
  if (!parsed.ok) return data({ usable: true, errors: parsed.errors as FieldErrors | null }, { status: 400 });
  if (!(await resetPassword(token, parsed.data.password))) return data({ usable: false, errors: null as FieldErrors | null }, { status: 410 });
  throw redirect("/login?reset=1");
}

export default function ResetPasswordRoute() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state === "submitting";
  if (!loaded.usable || result?.usable === false) {
    return (
      <div className="narrow">
        <PageHead title={t("auth.resetTitle")} />
        <p className="error-message" role="alert">
          {t("auth.resetInvalid")}
        </p>
        <p>
          <Link to="/forgot-password">{t("auth.resetAgain")}</Link>
        </p>
      </div>
    );
  }
  const e = result?.errors ?? {};
  return (
    <div className="narrow">
      <PageHead title={t("auth.resetTitle")} lead={t("auth.resetLead")} />
      <ErrorSummary errors={result?.errors} />
      <Form method="post" className="stack-form" noValidate>
        <CsrfInput />
        <Field label={t("auth.newPassword")} name="password" type="password" autoComplete="new-password" required minLength={10} hint={t("auth.passwordHint")} error={e.password} />
        <Field label={t("auth.resetConfirm")} name="confirm" type="password" autoComplete="new-password" required error={e.confirm} />
        <button type="submit" className="button" disabled={busy}>
          {t("auth.resetSave")}
        </button>
      </Form>
    </div>
  );
}
