import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { EnterpriseChoice } from "~/components/enterprise-choice";
import { ErrorSummary, Field, Notice } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { listEnterprises } from "~/models/enterprise.server";
import { getContact, requestContact } from "~/models/enterprise-contact.server";
import { requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { pageMeta } from "~/utils/meta";
import type { MessageKey } from "~/i18n/messages";
import { forbidden, readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "contact.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [contact, enterprises] = await Promise.all([getContact(user.id), listEnterprises()]);
  return {
    contact: contact ? { status: contact.status, enterprise: contact.enterprise?.name ?? null, proposedName: contact.proposedName, phone: contact.phone } : null,
    enterprises: enterprises.map((e) => ({ slug: e.slug, name: e.name })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const outcome = await requestContact(user.id, form);
  if (outcome.ok) throw redirect("/account/enterprise?sent=1");
  if (outcome.status === 403) throw forbidden(outcome.errors._form as MessageKey);
  return data(outcome, { status: outcome.status });
}

export default function EnterpriseContactRoute() {
  const { contact, enterprises } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  const [params] = useSearchParams();
  const e = failed && !failed.ok ? failed.errors : {};
  const v = failed && !failed.ok ? failed.values : {};
  return (
    <div className="narrow">
      <PageHead title={t("contact.title")} lead={t("contact.lead")} />
      {params.get("sent") && <Notice tone="success">{t("contact.pending")}</Notice>}
      {contact?.status === "confirmed" && <Notice tone="success">{t("contact.confirmed", { name: contact.enterprise ?? "" })}</Notice>}
      {contact?.status === "pending" && !params.get("sent") && <Notice>{t("contact.pending")}</Notice>}
      {contact?.status === "rejected" && <Notice>{t("contact.rejected")}</Notice>}
      {
        <Form method="post" className="stack-form" noValidate>
          <CsrfInput />
          <ErrorSummary errors={failed && !failed.ok ? failed.errors : null} />
          <EnterpriseChoice enterprises={enterprises} values={v} errors={e} proposedName={contact?.proposedName ?? ""} />
          <Field label={t("contact.phone")} name="phone" type="tel" required maxLength={20} defaultValue={v.phone ?? contact?.phone ?? ""} error={e.phone} />
          <div className="form-actions">
            <button type="submit" className="button">
              {t("contact.submit")}
            </button>
          </div>
        </Form>
      }
    </div>
  );
}
