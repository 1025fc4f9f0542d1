import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { InviteSchema } from "~/models/form-schemas.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, Notice, SelectField } from "~/components/forms";
import { PageHead, Section } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { createInvitation, removeMember, studioMembersAndInvitations } from "~/models/membership.server";
import { requireStudioAdmin } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { parseForm } from "~/utils/forms.server";
import { readForm, requireFound } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";
import { formatDate } from "~/utils/dates";
import { findStudio } from "~/models/studio.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "members.title");

async function load(slug: string) {
  return requireFound(await findStudio(slug));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const studio = await load(params.slug ?? "");
  await requireStudioAdmin(request, studio.id);
  const [members, invitations] = await studioMembersAndInvitations(studio.id);
  return {
    studio: { slug: studio.slug, name: studio.name },
    members: members.map((m) => ({ id: m.id, name: m.user.name, email: m.user.email, role: m.role })),
    invitations: invitations.map((i) => ({ id: i.id, role: i.role, expiresAt: i.expiresAt.toISOString() })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const studio = await load(params.slug ?? "");
  const user = await requireStudioAdmin(request, studio.id);
  const form = await readForm(request);
  await requireCsrf(request, form);
  if (form.get("intent") === "remove") {
    const outcome = await removeMember(studio.id, String(form.get("membership") ?? ""));
    if (outcome === "not-found") return data({ link: null, removed: false, errors: { _form: "members.notFound" } as Record<string, string> }, { status: 404 });
    const ok = outcome === "removed";
    return data({ link: null, removed: ok, errors: ok ? null : ({ _form: "members.lastAdmin" } as Record<string, string>) }, { status: ok ? 200 : 400 });
  }
  const parsed = parseForm(InviteSchema, form);
  if (!parsed.ok) return data({ link: null, removed: false, errors: parsed.errors as Record<string, string> }, { status: 400 });
  const link = await createInvitation(studio, parsed.data.role, user.id, siteOrigin(request), parsed.data.email || undefined);
  return { link, removed: false, errors: null as Record<string, string> | null };
}

export default function MembersRoute() {
  const { studio, members, invitations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="narrow wide">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to={`/studios/${studio.slug}`}>{studio.name}</Link>
      </nav>
      <PageHead title={t("members.title")} lead={studio.name} />
      <ErrorSummary errors={result?.errors} />
      {result?.removed && <Notice tone="success">{t("members.removed")}</Notice>}
      <Section title={t("studio.members")} id="members">
        <ul className="list">
          {members.map((m) => (
            <li key={m.id} className="member-row">
              <span>
                <strong>{m.name}</strong> <span className="muted small">{m.email}</span> <span className="badge">{t(`role.${m.role}` as MessageKey)}</span>
              </span>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="membership" value={m.id} />
                <button type="submit" name="intent" value="remove" className="button secondary" aria-label={`${t("members.remove")} ${m.name}`}>
                  {t("members.remove")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </Section>
      <Section title={t("members.invite")} id="invite">
        <p>{t("members.inviteLead")}</p>
        {result?.link && (
          <div className="notice success" role="status">
            <p>{t("members.inviteLink")}</p>
            <input className="invite-link" readOnly value={result.link} aria-label={t("members.inviteLink")} onFocus={(e) => e.currentTarget.select()} />
          </div>
        )}
        <Form method="post" className="stack-form">
          <CsrfInput />
          <SelectField
            label={t("members.inviteRole")}
            name="role"
            value="member"
            options={[
              ["member", t("role.member")],
              ["admin", t("role.admin")],
            ]}
          />
          <Field label={t("members.inviteEmail")} name="email" type="email" error={result?.errors?.email} />
          <button type="submit" name="intent" value="invite" className="button">
            {t("members.createInvite")}
          </button>
        </Form>
        {invitations.length > 0 && (
          <>
            <h3>{t("members.pending")}</h3>
            <ul className="plain small">
              {invitations.map((i) => (
                <li key={i.id}>
                  {t(`role.${i.role}` as MessageKey)} · {t("members.expires", { at: formatDate(i.expiresAt) })}
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>
    </div>
  );
}
