import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { PasswordSchema } from "~/models/form-schemas.server";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, Notice } from "~/components/forms";
import { PageHead, Section } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { changePassword, isCurrentPassword, logoutEverywhere } from "~/models/user.server";
import { requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { parseForm } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

import { countActiveSessions, getSessionId, sessionCookie } from "~/utils/session.server";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "auth.account");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessions = await countActiveSessions(user.id);
  return {
    user: { name: user.name, email: user.email, role: user.role },
    studios: user.memberships.map((m) => ({ slug: m.studio.slug, name: m.studio.name, role: m.role })),
    sessions,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  if (form.get("intent") === "logout-everywhere") {
    await logoutEverywhere(user.id);
    throw redirect("/login?loggedOutEverywhere=1", { headers: { "Set-Cookie": await sessionCookie.serialize("", { maxAge: 0 }) } });
  }
  const parsed = parseForm(PasswordSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, done: false }, { status: 400 });
  if (!(await isCurrentPassword(user.id, parsed.data.currentPassword))) {
    return data({ errors: { currentPassword: "auth.wrongPassword" } as Record<string, string>, done: false }, { status: 400 });
  }
  await changePassword(user.id, parsed.data.newPassword, await getSessionId(request));
  return { errors: null, done: true };
}

export default function AccountRoute() {
  const { user, studios, sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const [params] = useSearchParams();
  const siteRole = user.role === "admin" ? "role.siteAdmin" : user.role === "coordinator" ? "role.coordinator" : null;
  return (
    <div className="narrow wide">
      <PageHead title={t("auth.account")} lead={`${user.name} · ${user.email}`}>
        {siteRole && (
          <p>
            <span className="badge">{t(siteRole)}</span>
          </p>
        )}
      </PageHead>
      {params.get("welcome") && <Notice tone="success">{t("auth.verified")}</Notice>}
      <Section title={t("auth.myStudios")} id="my-studios">
        {studios.length === 0 ? (
          <p className="empty">{t("auth.noStudios")}</p>
        ) : (
          <ul className="list">
            {studios.map((s) => (
              <li key={s.slug}>
                <Link to={`/studios/${s.slug}`} className="title">
                  {s.name}
                </Link>{" "}
                <span className="badge">{t(`role.${s.role}` as MessageKey)}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t("auth.changePassword")} id="password">
        {result?.done && <Notice tone="success">{t("auth.passwordChanged")}</Notice>}
        <ErrorSummary errors={result?.errors} />
        <Form method="post" className="stack-form" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="password" />
          <Field label={t("auth.currentPassword")} name="currentPassword" type="password" autoComplete="current-password" error={result?.errors?.currentPassword} />
          <Field label={t("auth.newPassword")} name="newPassword" type="password" autoComplete="new-password" hint={t("auth.passwordHint")} error={result?.errors?.newPassword} />
          <button type="submit" className="button">
            {t("auth.changePassword")}
          </button>
        </Form>
      </Section>
      <Section title={t("auth.sessions")} id="sessions">
        <p>{t("auth.sessionsCount", { n: sessions })}</p>
        <Form method="post">
          <CsrfInput />
          <button type="submit" name="intent" value="logout-everywhere" className="button secondary">
            {t("auth.logoutEverywhere")}
          </button>
        </Form>
      </Section>
    </div>
  );
}
