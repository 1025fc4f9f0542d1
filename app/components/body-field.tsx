import { useId } from "react";
import { useCsrfToken } from "~/components/csrf";
import BodyEditor from "~/components/editor/body-editor";
import { useErrorText } from "~/components/forms";
import { useT } from "~/i18n/use-t";

/**
 * A rich-text field of a form: its title, an optional hint, the Lexical editor (which posts its
 * JSON under `name`), a note for browsers without JavaScript, and the field's error.
 */
export function BodyField(props: { name: string; label: string; value: string | null; error?: string; hint?: string; onChange?: () => void }) {
  const t = useT();
  const err = useErrorText();
  const csrf = useCsrfToken();
  const id = useId();
  const describedBy = [props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${props.error ? " has-error" : ""}`}>
      <p className="label">{props.label}</p>
      {props.hint && (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      <BodyEditor
        name={props.name}
        initialJson={props.value || null}
        label={props.label}
        invalid={Boolean(props.error)}
        describedBy={describedBy}
        uploadUrl="/uploads"
        csrfToken={csrf}
        onChange={props.onChange}
      />
      <noscript>
        <p className="field-error">{t("edit.noscript")}</p>
      </noscript>
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          {err(props.error)}
        </p>
      )}
    </div>
  );
}
