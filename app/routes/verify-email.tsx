import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { confirmEmail } from "~/models/user.server";
import { safeRedirect } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { createSession } from "~/utils/session.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "auth.registerTitle");

/** The link from the confirmation email: confirms the address and signs the user in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const userId = token.length >= 20 && token.length <= 100 ? await confirmEmail(token) : null;
  if (!userId) return { failed: true };
  const next = safeRedirect(url.searchParams.get("next"), "/account?welcome=1");
  throw redirect(next, { headers: { "Set-Cookie": await createSession(userId, request) } });
}

export default function VerifyEmailRoute() {
  const t = useT();
  return (
    <div className="narrow">
      <PageHead title={t("auth.registerTitle")} />
      <p className="error-message" role="alert">
        {t("auth.verifyFailed")}
      </p>
      <p>
        <Link to="/register">{t("auth.register")}</Link>
      </p>
    </div>
  );
}
