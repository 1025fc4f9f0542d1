import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, Notice } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { authenticator, LoginError } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { readForm, safeRedirect } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { createSession, getUser } from "~/utils/session.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "auth.loginTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/account");
  if (await getUser(request)) throw redirect(redirectTo);
  return { redirectTo };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request.clone());
  await requireCsrf(request, form);
  const email = String(form.get("email") ?? "").slice(0, 200);
  const redirectTo = safeRedirect(form.get("redirectTo"), "/account");
  // the strategy reads the body itself; the address comes from the server, never from the client
  const headers = new Headers(request.headers);
  headers.set("X-Client-Address", context.clientAddress ?? "unknown");
  try {
    const user = await authenticator.authenticate("password", new Request(request.url, { method: "POST", headers, body: await request.arrayBuffer() }));
    return redirect(redirectTo, { headers: { "Set-Cookie": await createSession(user.id, request) } });
  } catch (e) {
    const err = e instanceof LoginError ? e : new LoginError("invalid");
    return data({ email, error: err.code, minutes: err.retryMinutes }, { status: err.code === "rate-limited" ? 429 : 400 });
  }
}

export default function LoginRoute() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const message = result?.error === "rate-limited" ? t("auth.rateLimited", { minutes: result.minutes }) : result?.error ? t("auth.invalidLogin") : null;
  return (
    <div className="narrow">
      <PageHead title={t("auth.loginTitle")} lead={t("auth.loginLead")} />
      {params.get("reset") && !message && <Notice tone="success">{t("auth.resetDone")}</Notice>}
      {message && <ErrorSummary errors={{ _form: message }} />}
      <Form method="post" className="stack-form">
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field label={t("auth.email")} name="email" type="email" autoComplete="username" required defaultValue={result?.email ?? ""} />
        <Field label={t("auth.password")} name="password" type="password" autoComplete="current-password" required />
        <button type="submit" className="button" disabled={busy}>
          {t("auth.login")}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t("auth.forgotLink")}</Link>
      </p>
      <p>
        {t("auth.noAccount")} <Link to={`/register${params.toString() ? `?${params}` : ""}`}>{t("auth.register")}</Link>
      </p>
    </div>
  );
}
