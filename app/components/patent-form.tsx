import { Form, Link } from "@remix-run/react";
import { useRef } from "react";
import { AutosaveStatus, useAutosave } from "~/components/autosave";
import { BodyField } from "~/components/body-field";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, SelectField, useErrorText } from "~/components/forms";
import { PATENT_KINDS, PATENT_STATUSES } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

export interface PatentFormValues {
  number: string;
  title: string;
  kind: string;
  status: string;
  filed: string;
  granted: string;
  body: string;
}

/** The patent form, shared by "register a patent" and "edit a patent". */
export function PatentForm(props: {
  studioSlug: string;
  version: number;
  values: PatentFormValues;
  errors?: Record<string, string> | null;
  autosave: boolean;
  historyHref?: string;
  busy: boolean;
}) {
  const t = useT();
  const err = useErrorText();
  const formRef = useRef<HTMLFormElement>(null);
  const { schedule, fetcher, dirty } = useAutosave(formRef);
  const e = props.errors ?? {};
  const v = props.values;
  const onChange = props.autosave ? schedule : undefined;
  return (
    <>
      <ErrorSummary errors={props.errors} />
      <Form method="post" ref={formRef} className="stack-form edit-form" onChange={onChange} noValidate>
        <CsrfInput />
        <input type="hidden" name="studio" value={props.studioSlug} />
        <input type="hidden" name="version" value={props.version} />
        <Field label={t("edit.number")} name="number" required defaultValue={v.number} error={e.number} className="mono" />
        <Field label={t("edit.title")} name="title" required maxLength={150} defaultValue={v.title} error={e.title} />
        <div className="field-row">
          <SelectField label={t("patent.kind")} name="kind" value={v.kind} error={err(e.kind)} options={PATENT_KINDS.map((k) => [k, t(`patentKind.${k}` as MessageKey)])} />
          <SelectField
            label={t("patent.status")}
            name="status"
            value={v.status}
            error={err(e.status)}
            options={PATENT_STATUSES.map((s) => [s, t(`patentStatus.${s}` as MessageKey)])}
          />
          <Field label={t("patent.filed")} name="filed" type="date" defaultValue={v.filed} error={e.filed} />
          <Field label={t("patent.granted")} name="granted" type="date" defaultValue={v.granted} error={e.granted} />
        </div>
        <BodyField name="body" label={t("patent.abstract")} value={v.body} error={e.body} onChange={onChange} />
        <div className="form-actions">
          <button type="submit" name="intent" value="publish" className="button" disabled={props.busy}>
            {t("edit.publish")}
          </button>
          {props.autosave && <AutosaveStatus fetcher={fetcher} dirty={dirty} />}
          {props.historyHref && (
            <Link to={props.historyHref} className="muted">
              {t("edit.history")}
            </Link>
          )}
        </div>
      </Form>
    </>
  );
}
