import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AdminBack } from "~/components/admin";
import { Pager } from "~/components/pager";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Notice } from "~/components/forms";
import { Badge, PageHead } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { AdminUserActionSchema } from "~/models/admin-schemas.server";
import { changeUserRole, listUsersForAdmin, sendResetLinkByAdmin, setUserDisabled, SITE_ROLES, type UserAdminOutcome } from "~/models/user.server";
import { requireSiteAdmin } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { formatDate } from "~/utils/dates";
import { forbidden, readForm } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";
import styles from "~/styles/admin.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "admin.users.title");

const DONE = ["role", "disable", "enable", "reset", "unchanged"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSiteAdmin(request);
  const params = new URL(request.url).searchParams;
  const q = (params.get("q") ?? "").slice(0, 100);
  const list = await listUsersForAdmin(user, { q, page: Number(params.get("page")) || 1 });
  if (!list) throw forbidden("refused.siteAdmin");
  const done = DONE.find((d) => d === params.get("done")) ?? null;
  const doneUser = list.users.find((u) => u.id === params.get("user")) ?? null;
  return { ...list, q, roles: [...SITE_ROLES], done, doneUser: doneUser ? { name: doneUser.name, role: doneUser.role } : null };
}

type Failure = { userId: string | null; error: MessageKey };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireSiteAdmin(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = AdminUserActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data<Failure>({ userId: null, error: "form.invalid" }, { status: 400 });
  const { intent, userId, role, back } = parsed.data;
  let out: UserAdminOutcome;
  if (intent === "role") out = await changeUserRole(actor, userId, role ?? "");
  else if (intent === "reset") out = await sendResetLinkByAdmin(actor, userId, siteOrigin());
  else out = await setUserDisabled(actor, userId, intent === "disable");
  if (out.ok) {
    const params = new URLSearchParams(back);
    params.set("done", out.changed ? intent : "unchanged");
    params.set("user", userId);
    throw redirect(`/admin/users?${params.toString()}`);
  }
  if (out.reason === "forbidden") throw forbidden("refused.siteAdmin");
  return data<Failure>({ userId, error: `admin.users.error.${out.reason}` as MessageKey }, { status: out.reason === "not-found" ? 404 : 400 });
}

export default function AdminUsersRoute() {
  const { users, total, page, pages, q, roles, done, doneUser } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as Failure | undefined;
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const back = new URLSearchParams([...(q ? [["q", q]] : []), ...(page > 1 ? [["page", String(page)]] : [])]).toString();
  const roleName = (r: string) => t(`admin.role.${r}` as MessageKey);
  return (
    <div className="narrow wide admin">
      <AdminBack />
      <PageHead title={t("admin.users.title")} lead={t("admin.users.lead")} />
      {failed && !failed.userId && <ErrorSummary errors={{ _form: failed.error }} />}
      {!failed && done && (
        <Notice tone="success">
          {done === "unchanged" ? t("admin.users.done.unchanged") : t(`admin.users.done.${done}`, { name: doneUser?.name ?? "", role: doneUser ? roleName(doneUser.role) : "" })}
        </Notice>
      )}
      <Form method="get" className="admin-search-form" role="search">
        <label>
          <span>{t("admin.users.search")}</span>
          <input type="search" name="q" defaultValue={q} maxLength={100} />
        </label>
        <button type="submit" className="button">
          {t("admin.users.searchButton")}
        </button>
      </Form>
      <p className="muted small">{t("admin.users.count", { n: total })}</p>
      {users.length === 0 ? (
        <p className="empty">{t("admin.users.none")}</p>
      ) : (
        <ul className="list admin-users">
          {users.map((u) => {
            const error = failed?.userId === u.id ? failed.error : null;
            return (
              <li key={u.id} id={`user-${u.id}`}>
                <div className="admin-user-who">
                  <span className="title">
                    {u.name}
                    {u.self ? t("admin.users.you") : ""}
                  </span>
                  <span className="muted small">{u.email}</span> <Badge>{roleName(u.role)}</Badge> {u.disabledAt && <Badge tone="need-open">{t("admin.users.disabled")}</Badge>}{" "}
                  {!u.verified && <Badge>{t("admin.users.unverified")}</Badge>}
                  <span className="muted small"> {t("admin.users.joined", { date: formatDate(u.createdAt) })}</span>
                </div>
                <div className="admin-user-actions">
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="userId" value={u.id} />
                    <input type="hidden" name="back" value={back} />
                    <select name="role" defaultValue={u.role} aria-label={t("admin.users.roleOf", { name: u.name })}>
                      {roles.map((r) => (
                        <option key={r} value={r}>
                          {roleName(r)}
                        </option>
                      ))}
                    </select>
                    <button type="submit" name="intent" value="role" className="button secondary" disabled={busy} aria-label={t("admin.users.changeRoleOf", { name: u.name })}>
                      {t("admin.users.changeRole")}
                    </button>
                  </Form>
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="userId" value={u.id} />
                    <input type="hidden" name="back" value={back} />
                    {u.disabledAt ? (
                      <button type="submit" name="intent" value="enable" className="button secondary" disabled={busy} aria-label={t("admin.users.enableOf", { name: u.name })}>
                        {t("admin.users.enable")}
                      </button>
                    ) : (
                      <>
                        <button type="submit" name="intent" value="disable" className="button secondary" disabled={busy} aria-label={t("admin.users.disableOf", { name: u.name })}>
                          {t("admin.users.disable")}
                        </button>
                        <button type="submit" name="intent" value="reset" className="button secondary" disabled={busy} aria-label={t("admin.users.resetOf", { name: u.name })}>
                          {t("admin.users.reset")}
                        </button>
                      </>
                    )}
                  </Form>
                </div>
                {error && (
                  <p className="field-error admin-user-error" role="alert">
                    {t(error)}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <Pager page={page} pages={pages} />
    </div>
  );
}
