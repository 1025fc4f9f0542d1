import { useT } from "~/i18n/use-t";
import { Field, SelectField, useErrorText } from "./forms";

/**
 * The two fields of a form that names an enterprise (app/models/enterprise.server.ts,
 * EnterpriseChoiceFields): one from the list, or a new name that a coordinator confirms first.
 */
export function EnterpriseChoice({
  enterprises,
  values,
  errors,
  pickLabel,
  proposedName = "",
}: {
  enterprises: { slug: string; name: string }[];
  values: Record<string, string>;
  errors: Record<string, string>;
  pickLabel?: string;
  proposedName?: string;
}) {
  const t = useT();
  const err = useErrorText();
  return (
    <>
      <SelectField
        label={pickLabel ?? t("contact.enterprise")}
        name="enterprise"
        value={values.enterprise ?? ""}
        error={err(errors.enterprise)}
        options={[["", "—"], ...enterprises.map((x): [string, string] => [x.slug, x.name])]}
      />
      <Field label={t("contact.newName")} name="newName" maxLength={80} defaultValue={values.newName ?? proposedName} error={errors.newName} hint={t("enterprise.newNameHint")} />
    </>
  );
}
