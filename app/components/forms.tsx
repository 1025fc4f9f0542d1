import { formatDateTime } from "~/utils/dates";
import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";
import { useId } from "react";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

/** Error messages are message keys when the schema knows them, plain text otherwise. */
export function useErrorText() {
  const t = useT();
  return (e: string | undefined) => (e ? (/^[a-z]+(\.[a-zA-Z-]+)+$/.test(e) ? t(e as MessageKey) : e) : undefined);
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: ReactNode;
  name: string;
  error?: string;
  hint?: ReactNode;
}

export function Field({ label, name, error, hint, ...input }: FieldProps) {
  const id = useId();
  const text = useErrorText()(error);
  return (
    <div className={`field${text ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={text ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : "", text ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined}
        {...input}
      />
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {text && (
        <p id={`${id}-error`} className="field-error">
          {text}
        </p>
      )}
    </div>
  );
}

interface AreaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: ReactNode;
  name: string;
  error?: string;
  hint?: ReactNode;
}

export function TextAreaField({ label, name, error, hint, ...area }: AreaProps) {
  const id = useId();
  const text = useErrorText()(error);
  return (
    <div className={`field${text ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        aria-invalid={text ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : "", text ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined}
        {...area}
      />
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {text && (
        <p id={`${id}-error`} className="field-error">
          {text}
        </p>
      )}
    </div>
  );
}

export function ErrorSummary({ errors }: { errors?: Record<string, string> | null }) {
  const t = useT();
  const errorText = useErrorText();
  const n = errors ? Object.keys(errors).length : 0;
  if (!n) return null;
  const formError = errorText(errors?._form);
  return (
    <div className="error-summary" role="alert">
      <p>{formError ?? t("form.errorSummary", { n })}</p>
    </div>
  );
}

export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "success" }) {
  return (
    <p className={`notice ${tone}`} role="status">
      {children}
    </p>
  );
}

export function SelectField({ label, name, value, options, error }: { label: string; name: string; value: string; options: [string, string][]; error?: string }) {
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label>
        <span className="label">{label}</span>
        <select name={name} defaultValue={value} aria-invalid={error ? true : undefined}>
          {options.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </label>
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}

/**
 * What an edit page says above its form: the restored draft, the form's errors, and who saved the
 * newer version when the edit was stale.
 */
export function EditNotices({
  draftAt,
  errors,
  stale,
  summary = true,
}: {
  draftAt: string | null;
  errors?: Record<string, string> | null;
  stale?: { by: string | null; at: string } | null;
  summary?: boolean;
}) {
  const t = useT();
  return (
    <>
      {draftAt && !errors && <Notice>{t("edit.draftRestored", { time: formatDateTime(draftAt) })}</Notice>}
      {summary && <ErrorSummary errors={errors} />}
      {stale && <p className="error-detail">{t("form.staleBy", { by: stale.by ?? t("history.unknownAuthor"), at: formatDateTime(stale.at) })}</p>}
    </>
  );
}
