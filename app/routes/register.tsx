import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { RegisterSchema } from "~/models/form-schemas.server";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, Notice } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { getLocale } from "~/i18n/locale.server";
import { useT } from "~/i18n/use-t";
import { register } from "~/models/user.server";
import { requireCsrf } from "~/utils/csrf.server";
import { parseForm } from "~/utils/forms.server";
import { readForm, safeRedirect } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";
import { getUser } from "~/utils/session.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "auth.registerTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/account");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = parseForm(RegisterSchema, form);
  if (!parsed.ok) return data({ sentTo: null, errors: parsed.errors, values: parsed.values }, { status: 400 });
  const next = parsed.data.redirectTo ? safeRedirect(parsed.data.redirectTo, "") : "";
  await register(parsed.data, siteOrigin(), next || undefined, await getLocale(request));
  return { sentTo: parsed.data.email, errors: null, values: parsed.values };
}

export default function RegisterRoute() {
  const result = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  if (result?.sentTo) {
    return (
      <div className="narrow">
        <PageHead title={t("auth.checkMailTitle")} />
        <Notice tone="success">{t("auth.checkMail", { email: result.sentTo })}</Notice>
      </div>
    );
  }
  const v = result?.values ?? {};
  const e = result?.errors ?? {};
  return (
    <div className="narrow">
      <PageHead title={t("auth.registerTitle")} lead={t("auth.registerLead")} />
      <ErrorSummary errors={result?.errors} />
      <Form method="post" className="stack-form" noValidate>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field label={t("auth.name")} name="name" autoComplete="name" required maxLength={40} defaultValue={v.name} error={e.name} />
        <Field label={t("auth.email")} name="email" type="email" autoComplete="email" required defaultValue={v.email} error={e.email} />
        <Field label={t("auth.password")} name="password" type="password" autoComplete="new-password" required minLength={10} hint={t("auth.passwordHint")} error={e.password} />
        <button type="submit" className="button" disabled={busy}>
          {t("auth.register")}
        </button>
      </Form>
      <p>
        {t("auth.haveAccount")} <Link to={`/login${params.toString() ? `?${params}` : ""}`}>{t("auth.login")}</Link>
      </p>
    </div>
  );
}
