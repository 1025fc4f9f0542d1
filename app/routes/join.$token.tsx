import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { PageHead } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { acceptInvitation, findInvitation } from "~/models/membership.server";
import { requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { pageMeta } from "~/utils/meta";
import { getUser } from "~/utils/session.server";
import { readForm, refusal } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "join.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const [inv, user] = await Promise.all([findInvitation(token), getUser(request)]);
  if (!inv) return { invitation: null, signedIn: Boolean(user), already: false, here: `/join/${token}` };
  return {
    invitation: { studio: inv.studio.name, studioSlug: inv.studio.slug, role: inv.role, inviter: inv.createdBy.name },
    signedIn: Boolean(user),
    already: Boolean(user?.memberships.some((m) => m.studioId === inv.studioId)),
    here: `/join/${token}`,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  await requireCsrf(request, await readForm(request));
  const joined = await acceptInvitation(params.token ?? "", user.id);
  if (!joined) throw refusal(410, "invalid_invitation", "refused.invalidInvitation");
  throw redirect(`/studios/${joined.studioSlug}?joined=1`);
}

export default function JoinRoute() {
  const { invitation, signedIn, already, here } = useLoaderData<typeof loader>();
  const t = useT();
  if (!invitation) {
    return (
      <div className="narrow">
        <PageHead title={t("join.title")} />
        <p className="error-message" role="alert">
          {t("join.invalid")}
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <PageHead title={t("join.title")} lead={t("join.lead", { inviter: invitation.inviter, studio: invitation.studio, role: t(`role.${invitation.role}` as MessageKey) })} />
      {already ? (
        <p>
          {t("join.already")} <Link to={`/studios/${invitation.studioSlug}`}>{invitation.studio}</Link>
        </p>
      ) : signedIn ? (
        <Form method="post">
          <CsrfInput />
          <button type="submit" className="button">
            {t("join.accept")}
          </button>
        </Form>
      ) : (
        <>
          <p>{t("join.loginFirst")}</p>
          <p className="actions">
            <Link className="button" to={`/register?redirectTo=${encodeURIComponent(here)}`}>
              {t("auth.register")}
            </Link>{" "}
            <Link className="button secondary" to={`/login?redirectTo=${encodeURIComponent(here)}`}>
              {t("auth.login")}
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
