import { Link } from "@remix-run/react";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

/**
 * The sections of /admin, in the order the index lists them. A new section (the honour list at
 * /admin/honours, say) is one more line here.
 */
export const ADMIN_SECTIONS: { to: string; title: MessageKey; lead: MessageKey }[] = [
  { to: "/admin/users", title: "admin.users.title", lead: "admin.users.lead" },
  { to: "/admin/settings", title: "admin.settings.title", lead: "admin.settings.lead" },
  { to: "/admin/enterprises", title: "admin.enterprises.title", lead: "admin.enterprises.lead" },
  { to: "/admin/honours", title: "admin.honours.title", lead: "admin.honours.lead" },
  { to: "/admin/audit", title: "admin.audit.title", lead: "admin.audit.lead" },
  { to: "/admin/import", title: "sheets.import.title", lead: "sheets.import.lead" },
  { to: "/admin/search", title: "synonyms.title", lead: "synonyms.lead" },
];

export function AdminBack() {
  const t = useT();
  return (
    <p className="admin-back small">
      <Link to="/admin">← {t("admin.back")}</Link>
    </p>
  );
}
