import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { editorStylesHref } from "~/components/editor/styles";
import { NeedForm } from "~/components/need-form";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { listEnterprises } from "~/models/enterprise.server";
import { getContact } from "~/models/enterprise-contact.server";
import { listIndustries } from "~/models/industry.server";
import { postNeed } from "~/models/need-loop.server";
import { isCoordinator, requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { pageMeta } from "~/utils/meta";
import type { MessageKey } from "~/i18n/messages";
import { forbidden, readForm } from "~/utils/http.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStylesHref }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "needForm.new");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const coordinator = isCoordinator(user);
  const [contact, industries, enterprises] = await Promise.all([getContact(user.id), listIndustries(), coordinator ? listEnterprises() : null]);
  const confirmed = contact?.status === "confirmed" && contact.enterprise;
  return {
    may: coordinator || Boolean(confirmed),
    pending: contact?.status === "pending",
    enterprise: confirmed ? contact.enterprise!.name : null,
    contactName: user.name,
    industries: industries.map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
    enterprises: enterprises?.map((e) => ({ slug: e.slug, name: e.name })) ?? null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const enterprise = form.get("enterprise");
  const outcome = await postNeed(user, form, typeof enterprise === "string" ? enterprise : undefined);
  if (outcome.ok) throw redirect(`/needs/${outcome.slug}?posted=1`);
  if (outcome.status === 403) throw forbidden(outcome.errors._form as MessageKey);
  return data(outcome, { status: outcome.status });
}

export default function NewNeedRoute() {
  const d = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state === "submitting";
  if (!d.may) {
    return (
      <div className="narrow">
        <PageHead title={t("needForm.new")} lead={t(d.pending ? "needForm.pendingContact" : "needForm.needContact")} />
        {!d.pending && (
          <p>
            <Link className="button" to="/account/enterprise">
              {t("contact.become")}
            </Link>
          </p>
        )}
      </div>
    );
  }
  const values = failed && !failed.ok ? failed.values : {};
  return (
    <div className="edit-page">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to="/needs">{t("nav.needs")}</Link>
      </nav>
      <PageHead title={t("needForm.new")} lead={d.enterprise ? t("needForm.forEnterprise", { name: d.enterprise }) : t("needForm.lead")} />
      <NeedForm
        version={0}
        draftable
        busy={busy}
        industries={d.industries}
        enterprises={d.enterprises ?? undefined}
        errors={failed && !failed.ok ? failed.errors : null}
        values={{
          title: values.title ?? "",
          industry: values.industry ?? d.industries[0]?.key ?? "",
          tags: values.tags ?? "",
          district: values.district ?? "",
          timeframe: values.timeframe ?? "",
          contactName: values.contactName ?? d.contactName,
          contactPhone: values.contactPhone ?? "",
          visibility: values.visibility ?? "public",
          body: values.body ?? "",
          enterprise: values.enterprise ?? "",
        }}
      />
    </div>
  );
}
