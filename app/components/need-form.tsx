import { Form } from "@remix-run/react";
import { BodyField } from "~/components/body-field";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, SelectField, useErrorText } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { industryName } from "~/utils/labels";

export interface NeedFormValues {
  title: string;
  industry: string;
  tags: string;
  district: string;
  timeframe: string;
  contactName: string;
  contactPhone: string;
  visibility: string;
  body: string;
  enterprise?: string;
}

/** 点单: the need form, shared by "post a need" and "edit a need". */
export function NeedForm(props: {
  values: NeedFormValues;
  errors?: Record<string, string> | null;
  version: number;
  industries: { key: string; nameZh: string; nameEn: string }[];
  /** coordinators post for an enterprise they pick */
  enterprises?: { slug: string; name: string }[];
  draftable: boolean;
  busy: boolean;
}) {
  const t = useT();
  const err = useErrorText();
  const e = props.errors ?? {};
  const v = props.values;
  return (
    <>
      <ErrorSummary errors={props.errors} />
      <Form method="post" className="stack-form edit-form" noValidate>
        <CsrfInput />
        <input type="hidden" name="version" value={props.version} />
        {props.enterprises && (
          <SelectField
            label={t("need.enterprise")}
            name="enterprise"
            value={v.enterprise ?? ""}
            error={err(e.enterprise)}
            options={[["", t("needForm.pickEnterprise")], ...props.enterprises.map((x): [string, string] => [x.slug, x.name])]}
          />
        )}
        <Field label={t("edit.title")} name="title" required maxLength={120} defaultValue={v.title} error={e.title} />
        <div className="field-row">
          <SelectField
            label={t("need.industry")}
            name="industry"
            value={v.industry}
            error={err(e.industry)}
            options={props.industries.map((i): [string, string] => [i.key, industryName(i, t.locale)])}
          />
          <Field label={t("needForm.district")} name="district" maxLength={40} defaultValue={v.district} error={e.district} />
          <Field label={t("needForm.timeframe")} name="timeframe" maxLength={60} defaultValue={v.timeframe} error={e.timeframe} hint={t("needForm.timeframeHint")} />
        </div>
        <Field label={t("need.tags")} name="tags" required defaultValue={v.tags} error={e.tags} hint={t("needForm.tagsHint")} />
        <BodyField name="body" label={t("needForm.problem")} value={v.body} error={e.body} hint={t("needForm.problemHint")} />
        <fieldset className="field-group">
          <legend>{t("needForm.contact")}</legend>
          <p className="hint">{t("needForm.contactHint")}</p>
          <div className="field-row">
            <Field label={t("needForm.contactName")} name="contactName" required maxLength={40} defaultValue={v.contactName} error={e.contactName} />
            <Field label={t("needForm.contactPhone")} name="contactPhone" type="tel" required maxLength={20} defaultValue={v.contactPhone} error={e.contactPhone} />
          </div>
        </fieldset>
        <SelectField
          label={t("needForm.visibility")}
          name="visibility"
          value={v.visibility}
          error={err(e.visibility)}
          options={[
            ["public", t("needForm.visibility.public")],
            ["union", t("needForm.visibility.union")],
          ]}
        />
        <div className="form-actions">
          <button type="submit" name="intent" value="submit" className="button" disabled={props.busy}>
            {t("needForm.submit")}
          </button>
          {props.draftable && (
            <button type="submit" name="intent" value="draft" className="button secondary" disabled={props.busy}>
              {t("needForm.saveDraft")}
            </button>
          )}
        </div>
      </Form>
    </>
  );
}
