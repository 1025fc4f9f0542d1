import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { decideAdoption, listPendingAdoptions } from "~/models/adoption.server";
import { decideContact, listPendingContacts } from "~/models/enterprise-contact.server";
import { requireCoordinator } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { pageMeta } from "~/utils/meta";
import type { MessageKey } from "~/i18n/messages";
import { forbidden, readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "contact.queue");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireCoordinator(request);
  const [pending, adoptions] = await Promise.all([listPendingContacts(), listPendingAdoptions()]);
  return {
    adoptions: adoptions.map((a) => ({
      id: a.id,
      name: a.proposedName,
      result: a.result.title,
      resultSlug: a.result.slug,
      studio: a.result.studio.name,
      date: a.adoptedOn,
      benefit: a.benefit,
    })),
    pending: pending.map((c) => ({ id: c.id, user: c.user.name, email: c.user.email, phone: c.phone, enterprise: c.enterprise?.name ?? null, proposedName: c.proposedName })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireCoordinator(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const intent = String(form.get("intent") ?? "");
  // a contact request's new enterprise, or an adoption record's: the same confirmation
  if (intent === "confirm-adoption" || intent === "reject-adoption") {
    const done = await decideAdoption(user, String(form.get("id") ?? ""), intent === "confirm-adoption" ? "confirm" : "reject");
    if (done.ok) throw redirect("/needs/contacts");
    if (done.status === 403) throw forbidden(done.reason);
    return data({ errors: { _form: done.reason } }, { status: done.status });
  }
  const decision = intent === "confirm" ? "confirm" : intent === "reject" ? "reject" : null;
  if (!decision) return data({ errors: { _form: "form.invalid" } }, { status: 400 });
  const outcome = await decideContact(user, String(form.get("id") ?? ""), decision);
  if (outcome.ok) throw redirect("/needs/contacts");
  if (outcome.status === 403) throw forbidden(outcome.errors._form as MessageKey);
  return data({ errors: outcome.errors }, { status: outcome.status });
}

export default function ContactQueueRoute() {
  const { pending, adoptions } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="narrow wide">
      <PageHead title={t("contact.queue")} />
      <ErrorSummary errors={failed?.errors} />
      {pending.length === 0 ? (
        <p className="empty">{t("contact.queueEmpty")}</p>
      ) : (
        <ul className="cards">
          {pending.map((c) => (
            <li key={c.id} className="card">
              <p>
                <strong>{c.user}</strong> · {c.email} · {c.phone}
              </p>
              <p>{c.enterprise ?? t("contact.newEnterprise", { name: c.proposedName })}</p>
              <Form method="post" className="inline-form">
                <CsrfInput />
                <input type="hidden" name="id" value={c.id} />
                <button type="submit" name="intent" value="confirm" className="button">
                  {t("contact.confirm")}
                </button>{" "}
                <button type="submit" name="intent" value="reject" className="button secondary">
                  {t("contact.reject")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      {adoptions.length > 0 && (
        <section aria-labelledby="adoptions-h">
          <h2 id="adoptions-h">{t("adoption.queue")}</h2>
          <ul className="cards">
            {adoptions.map((a) => (
              <li key={a.id} className="card">
                <p>{t("adoption.queueLine", { result: a.result, studio: a.studio, name: a.name, date: a.date, benefit: a.benefit })}</p>
                <p>{t("contact.newEnterprise", { name: a.name })}</p>
                <Form method="post" className="inline-form">
                  <CsrfInput />
                  <input type="hidden" name="id" value={a.id} />
                  <button type="submit" name="intent" value="confirm-adoption" className="button">
                    {t("contact.confirm")}
                  </button>{" "}
                  <button type="submit" name="intent" value="reject-adoption" className="button secondary">
                    {t("contact.reject")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
