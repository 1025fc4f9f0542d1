import { formatDateTime } from "~/utils/dates";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { listNotifications, markRead, noticeText } from "~/models/notification.server";
import { translator } from "~/i18n/locale.server";
import { getLocale } from "~/i18n/locale.server";
import { requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { readForm, safeRedirect } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "inbox.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [items, locale] = await Promise.all([listNotifications(user.id), getLocale(request)]);
  const t = translator(locale);
  return { items: items.map((n) => ({ id: n.id, kind: n.kind, title: noticeText(t, n), url: n.url, unread: !n.readAt, at: n.createdAt.toISOString() })) };
}

/** Opening a message marks it read; "mark all" clears the count. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const id = form.get("id");
  await markRead(user.id, typeof id === "string" && id ? id : undefined);
  throw redirect(safeRedirect(form.get("to"), "/inbox"));
}

export default function InboxRoute() {
  const { items } = useLoaderData<typeof loader>();
  const t = useT();
  const unread = items.filter((i) => i.unread).length;
  return (
    <div className="narrow wide">
      <PageHead title={t("inbox.title")} lead={t("inbox.unread", { n: unread })} />
      {unread > 0 && (
        <Form method="post">
          <CsrfInput />
          <button type="submit" className="button secondary">
            {t("inbox.markAll")}
          </button>
        </Form>
      )}
      {items.length === 0 ? (
        <p className="empty">{t("inbox.empty")}</p>
      ) : (
        <ul className="list inbox">
          {items.map((n) => (
            <li key={n.id} className={n.unread ? "unread" : undefined}>
              <Form method="post" className="inline">
                <CsrfInput />
                <input type="hidden" name="id" value={n.id} />
                <input type="hidden" name="to" value={n.url ?? "/inbox"} />
                <button type="submit" className="link-like title">
                  {n.title}
                </button>
              </Form>
              <div className="muted small">{formatDateTime(n.at)}</div>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to="/alliances">{t("nav.alliances")}</Link>
      </p>
    </div>
  );
}
