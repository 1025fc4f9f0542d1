import { useState } from "react";
import { useT } from "~/i18n/use-t";
import { useCsrfToken } from "./csrf";

type Picked = { file: string; name: string };

/**
 * Files for a record (a delivery): each chosen file goes to POST /uploads as an attachment at once —
 * checked there by its bytes (images or PDF) and counted against the uploader's allowance — and the
 * form then carries only the stored file names (`attachments`).
 */
export function AttachmentPicker({ max = 10 }: { max?: number }) {
  const t = useT();
  const csrf = useCsrfToken();
  const [picked, setPicked] = useState<Picked[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);

  async function upload(files: FileList | null) {
    if (!files) return;
    const problems: string[] = [];
    for (const f of Array.from(files).slice(0, Math.max(0, max - picked.length))) {
      setBusy(f.name);
      const body = new FormData();
      body.append("purpose", "attachment");
      body.append("file", f);
      try {
        const res = await fetch("/uploads", { method: "POST", body, headers: { "X-CSRF-Token": csrf, Accept: "application/json" } });
        const json = (await res.json()) as { file?: string; name?: string; error?: { message: string } };
        if (res.ok && json.file) setPicked((p) => [...p, { file: json.file!, name: json.name ?? f.name }]);
        else problems.push(t("attachment.failed", { name: f.name, reason: json.error?.message ?? String(res.status) }));
      } catch (e) {
        problems.push(t("attachment.failed", { name: f.name, reason: e instanceof Error ? e.message : String(e) }));
      }
    }
    setBusy(null);
    setErrors(problems);
  }

  return (
    <div className="field attachments">
      <label>
        <span className="label">{t("attachment.label")}</span>
        <input
          type="file"
          multiple
          accept="application/pdf,image/png,image/jpeg,image/gif,image/webp"
          disabled={Boolean(busy) || picked.length >= max}
          onChange={(e) => {
            void upload(e.currentTarget.files);
            e.currentTarget.value = "";
          }}
        />
      </label>
      <p className="hint">{t("attachment.hint")}</p>
      {busy && (
        <p className="muted small" role="status">
          {t("attachment.uploading", { name: busy })}
        </p>
      )}
      {errors.map((m) => (
        <p key={m} className="field-error" role="alert">
          {m}
        </p>
      ))}
      {picked.length > 0 && (
        <ul className="plain attachment-list">
          {picked.map((p) => (
            <li key={p.file}>
              <input type="hidden" name="attachments" value={p.file} />
              {p.name}{" "}
              <button type="button" className="link-like small" onClick={() => setPicked((all) => all.filter((x) => x.file !== p.file))}>
                {t("attachment.remove")}
                <span className="visually-hidden"> {p.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A record's attachments as download links (only ever given to those who may download them); `inline` in one line, for a timeline entry. */
export function AttachmentLinks({ items, inline = false }: { items: { url: string; name: string; mime: string; size: number }[]; inline?: boolean }) {
  const t = useT();
  if (!items.length) return null;
  if (inline)
    return (
      <p className="small">
        {t("attachment.list")}
        {t.colon}
        {items.map((a, i) => (
          <span key={a.url}>
            {i > 0 && " · "}
            <a href={a.url} download={a.name}>
              {a.name}
            </a>
          </span>
        ))}
      </p>
    );
  return (
    <ul className="plain attachment-list" aria-label={t("attachment.list")}>
      {items.map((a) => (
        <li key={a.url}>
          <a href={a.url} download={a.name}>
            {a.name}
          </a>{" "}
          <span className="muted small">
            {a.mime === "application/pdf" ? "PDF" : a.mime.replace("image/", "").toUpperCase()} · {Math.max(1, Math.round(a.size / 1024))} KB
          </span>
        </li>
      ))}
    </ul>
  );
}
