import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { EnterpriseChoice } from "~/components/enterprise-choice";
import { ErrorSummary, Field, SelectField } from "~/components/forms";
import { Badge, PageHead } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { conversionDefaults, convertEnquiry, getEnquiry } from "~/models/enquiry.server";
import { listEnterprises } from "~/models/enterprise.server";
import { listIndustries } from "~/models/industry.server";
import { isCoordinator, requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { formatDateTime } from "~/utils/dates";
import { forbidden, readForm, refusal, requireFound } from "~/utils/http.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "enquiry.one");

/** One enquiry, for the studio's admins and coordinators; coordinators may turn it into a need here. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const e = await requireFound(await getEnquiry(user, params.id ?? ""));
  if (e === "forbidden") throw forbidden("enquiry.refused");
  const coordinator = isCoordinator(user);
  const convert = coordinator && e.status === "new";
  const [industries, enterprises, defaults] = convert ? await Promise.all([listIndustries(), listEnterprises(), conversionDefaults(e)]) : [[], [], null];
  return {
    enquiry: {
      id: e.id,
      status: e.status,
      at: e.createdAt.toISOString(),
      message: e.message,
      contactName: e.contactName,
      contact: e.contact,
      organisation: e.organisation,
      account: { name: e.sender.name, email: e.sender.email },
      studio: { slug: e.studio.slug, name: e.studio.name },
      result: e.result ? { slug: e.result.slug, title: e.result.title } : null,
      need: e.need,
    },
    coordinator,
    convert: defaults,
    industries: industries.map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
    enterprises: enterprises.map((x) => ({ slug: x.slug, name: x.name })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  if (form.get("intent") !== "convert") throw refusal(400, "bad_request", "refused.unknownAction", "intent");
  const outcome = await convertEnquiry(user, params.id ?? "", form);
  if (outcome.ok) throw redirect(`/needs/${outcome.need}?done=submit`);
  if (outcome.status === 403) throw forbidden("refused.coordinator");
  if (outcome.status === 404) await requireFound(null);
  return data({ errors: outcome.errors, values: outcome.values }, { status: outcome.status });
}

export default function EnquiryRoute() {
  const { enquiry: e, convert, industries, enterprises } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  const errors = failed?.errors ?? {};
  const v = { ...(convert ?? {}), ...(failed?.values ?? {}) } as Record<string, string>;
  return (
    <article className="narrow wide">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to="/enquiries">{t("enquiry.listTitle")}</Link> / <Link to={`/studios/${e.studio.slug}`}>{e.studio.name}</Link>
      </nav>
      <PageHead title={t("enquiry.one")}>
        <p>
          <Badge tone={`enquiry-${e.status}`}>{t(`enquiry.status.${e.status}` as MessageKey)}</Badge>
        </p>
      </PageHead>
      <dl className="facts">
        <div>
          <dt>{t("enquiry.to")}</dt>
          <dd>
            <Link to={`/studios/${e.studio.slug}`}>{e.studio.name}</Link>
          </dd>
        </div>
        {e.result && (
          <div>
            <dt>{t("enquiry.about")}</dt>
            <dd>
              <Link to={`/results/${e.result.slug}`}>{e.result.title}</Link>
            </dd>
          </div>
        )}
        <div>
          <dt>{t("enquiry.contactName")}</dt>
          <dd>
            {e.contactName}
            {e.organisation ? `（${e.organisation}）` : ""}
          </dd>
        </div>
        <div>
          <dt>{t("enquiry.contact")}</dt>
          <dd>{e.contact}</dd>
        </div>
        <div>
          <dt>{t("enquiry.account")}</dt>
          <dd>
            {e.account.name} · {e.account.email}
          </dd>
        </div>
        <div>
          <dt>{t("enquiry.sentAt")}</dt>
          <dd>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
          </dd>
        </div>
      </dl>
      <section className="panel" aria-labelledby="message-h">
        <h2 id="message-h">{t("enquiry.messageHeading")}</h2>
        <p className="pre">{e.message}</p>
      </section>
      {e.need && (
        <p>
          <Link to={`/needs/${e.need.slug}`}>{t("enquiry.needLink", { need: e.need.title })}</Link>
        </p>
      )}
      {convert && (
        <section className="panel" aria-labelledby="convert-h">
          <h2 id="convert-h">{t("enquiry.convert")}</h2>
          <p className="muted small">{t("enquiry.convertLead")}</p>
          <Form method="post" className="stack-form" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="convert" />
            <ErrorSummary errors={failed?.errors} />
            <Field label={t("edit.title")} name="title" required maxLength={120} defaultValue={v.title} error={errors.title} />
            <SelectField
              label={t("need.industry")}
              name="industry"
              value={v.industry ?? ""}
              error={errors.industry}
              options={industries.map((i): [string, string] => [i.key, industryName(i, t.locale)])}
            />
            <Field label={t("need.tags")} name="tags" required defaultValue={v.tags} error={errors.tags} hint={t("needForm.tagsHint")} />
            <EnterpriseChoice enterprises={enterprises} values={v} errors={errors} pickLabel={t("need.enterprise")} />
            <SelectField
              label={t("needForm.visibility")}
              name="visibility"
              value={v.visibility ?? "union"}
              error={errors.visibility}
              options={[
                ["union", t("needForm.visibility.union")],
                ["public", t("needForm.visibility.public")],
              ]}
            />
            <div className="form-actions">
              <button type="submit" className="button">
                {t("enquiry.convert")}
              </button>
            </div>
          </Form>
        </section>
      )}
    </article>
  );
}
