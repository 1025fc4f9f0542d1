import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect } from "react";
import { CsrfInput } from "~/components/csrf";
import { Notice } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { getLocale, translator } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { IMPORT_NOUNS, NOUN_SHEET } from "~/models/sheets/nouns";
import { commitSheetImport, discardSheetImport, importProgress, MAX_SHEET_BYTES, stageSheetImport, type Preview, type SheetProblem } from "~/models/sheets/import.server";
import { requireCoordinator } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { forbidden, readForm } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import styles from "~/styles/admin.css";

// 表格导入 (/admin/import): coordinators and site admins upload an .xlsx workbook of studios, people
// and needs; every problem is listed and nothing written, or a preview waits for the confirmation,
// which writes everything at once (app/models/sheets/import.server.ts).

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "sheets.import.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCoordinator(request);
  const token = new URL(request.url).searchParams.get("progress");
  // the confirmation's progress, polled by the page while it writes
  if (token) return data({ maxMb: MAX_SHEET_BYTES / 1024 / 1024, progress: importProgress(user, token) }, { headers: { "Cache-Control": "no-store" } });
  return { maxMb: MAX_SHEET_BYTES / 1024 / 1024, progress: null };
}

type Outcome =
  | { kind: "problems"; error: string | null; problems: SheetProblem[] }
  | { kind: "preview"; stage: Stage }
  | { kind: "done"; counts: Preview; created: { noun: string; slug: string; name: string }[] }
  | { kind: "cancelled" };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireCoordinator(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const locale = await getLocale(request);
  const t = translator(locale);
  const intent = form.get("intent");
  const token = String(form.get("token") ?? "");
  if (intent === "upload") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return data<Outcome>({ kind: "problems", error: t("sheets.import.required"), problems: [] }, { status: 400 });
    const out = await stageSheetImport(user, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, locale);
    if (out.ok) return data<Outcome>({ kind: "preview", stage: { token: out.token, name: out.name, rows: out.rows, preview: out.preview, newEnterprises: out.newEnterprises } });
    if (out.status === 403) throw forbidden("refused.coordinator");
    return data<Outcome>({ kind: "problems", error: out.error ?? null, problems: out.problems }, { status: out.status });
  }
  if (intent === "confirm") {
    const out = await commitSheetImport(user, token, locale);
    if (out.ok) return data<Outcome>({ kind: "done", counts: out.counts, created: out.created });
    if (out.status === 403) throw forbidden("refused.coordinator");
    return data<Outcome>({ kind: "problems", error: out.error ?? null, problems: out.problems }, { status: out.status });
  }
  if (intent === "cancel") {
    discardSheetImport(user, token);
    return data<Outcome>({ kind: "cancelled" });
  }
  return data<Outcome>({ kind: "problems", error: t("form.invalid"), problems: [] }, { status: 400 });
}

const NOUN_PATH: Record<string, string> = { studios: "/studios/", people: "/people/", needs: "/needs/" };

export default function ImportRoute() {
  const { maxMb } = useLoaderData<typeof loader>();
  const out = useActionData<typeof action>() as Outcome | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const t = useT();
  return (
    <div className="narrow wide admin sheets-import">
      <p className="admin-back small">
        <Link to="/dashboard">← {t("dashboard.title")}</Link>
      </p>
      <PageHead title={t("sheets.import.title")} lead={t("sheets.import.lead")} />
      <p>
        <a className="button secondary" href="/admin/import/template" download>
          {t("sheets.import.template")}
        </a>
      </p>
      <p className="muted small">{t("sheets.import.templateNote")}</p>

      {out?.kind === "problems" && <Problems error={out.error} problems={out.problems} />}
      {out?.kind === "cancelled" && <Notice>{t("sheets.import.cancelled")}</Notice>}
      {out?.kind === "done" && <Done counts={out.counts} created={out.created} />}
      {out?.kind === "preview" && <PreviewPanel stage={out.stage} busy={busy} />}

      {/* a new form (an empty file field) once an upload is imported or discarded */}
      <Form
        key={out?.kind === "done" || out?.kind === "cancelled" ? "next" : "first"}
        method="post"
        encType="multipart/form-data"
        className="stack-form"
        aria-label={t("sheets.import.title")}
      >
        <CsrfInput />
        <input type="hidden" name="intent" value="upload" />
        <div className="field">
          <label htmlFor="sheet-file">{t("sheets.import.file", { mb: maxMb })}</label>
          <input id="sheet-file" name="file" type="file" required accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
        </div>
        <div>
          <button type="submit" className="button" disabled={busy !== null}>
            {t("sheets.import.upload")}
          </button>
        </div>
        {busy === "upload" && (
          <p role="status">
            <progress aria-label={t("sheets.import.progress")} /> {t("sheets.import.checking")}
          </p>
        )}
      </Form>
    </div>
  );
}

function Problems({ error, problems }: { error: string | null; problems: SheetProblem[] }) {
  const t = useT();
  return (
    <div className="error-summary" role="alert">
      {error && <p>{error}</p>}
      {problems.length > 0 && (
        <>
          <p>{t("sheets.import.problems", { n: problems.length })}</p>
          <div className="table-scroll">
            <table className="data sheet-problems">
              <caption>{t("sheets.import.problemsTable")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("sheets.import.sheet")}</th>
                  <th scope="col">{t("sheets.import.row")}</th>
                  <th scope="col">{t("sheets.import.column")}</th>
                  <th scope="col">{t("sheets.import.problem")}</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.sheet}</td>
                    <td>{t("sheets.import.rowN", { n: p.row })}</td>
                    <td>{p.column}</td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

function CountsTable({ counts, caption }: { counts: Preview; caption: string }) {
  const t = useT();
  return (
    <div className="table-scroll">
      <table className="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("sheets.import.noun")}</th>
            <th scope="col">{t("sheets.import.created")}</th>
            <th scope="col">{t("sheets.import.updated")}</th>
            <th scope="col">{t("sheets.import.unchanged")}</th>
          </tr>
        </thead>
        <tbody>
          {IMPORT_NOUNS.map((n) => (
            <tr key={n}>
              <th scope="row">{t(NOUN_SHEET[n])}</th>
              <td>{counts[n].created}</td>
              <td>{counts[n].updated}</td>
              <td>{counts[n].unchanged}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const names = (list: string[], t: ReturnType<typeof useT>) =>
  list.length > 8 ? `${list.slice(0, 8).join("、")} ${t("sheets.import.more", { n: list.length - 8 })}` : list.join("、");

interface Stage {
  token: string;
  name: string;
  rows: number;
  preview: Preview;
  /** enterprises the hub does not have yet, which the confirmation creates */
  newEnterprises: string[];
}

function PreviewPanel({ stage, busy }: { stage: Stage; busy: string | null }) {
  const t = useT();
  const committing = busy === "confirm";
  if (stage.rows === 0) return <Notice>{t("sheets.import.nothing")}</Notice>;
  return (
    <section className="panel" aria-labelledby="preview-h">
      <h2 id="preview-h">{t("sheets.import.preview")}</h2>
      <p>{t("sheets.import.previewFile", { name: stage.name, n: stage.rows })}</p>
      <CountsTable counts={stage.preview} caption={t("sheets.import.preview")} />
      {IMPORT_NOUNS.filter((n) => stage.preview[n].createdNames.length + stage.preview[n].updatedNames.length > 0).map((n) => (
        <div key={n} className="small">
          {stage.preview[n].createdNames.length > 0 && <p>{t("sheets.import.willCreate", { names: names(stage.preview[n].createdNames, t) })}</p>}
          {stage.preview[n].updatedNames.length > 0 && <p>{t("sheets.import.willUpdate", { names: names(stage.preview[n].updatedNames, t) })}</p>}
        </div>
      ))}
      {stage.newEnterprises.length > 0 && (
        <p className="small" data-testid="new-enterprises">
          <strong>{t("sheets.import.newEnterprises", { n: stage.newEnterprises.length })}</strong> {names(stage.newEnterprises, t)}
        </p>
      )}
      <div className="editor-actions">
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="token" value={stage.token} />
          <button type="submit" name="intent" value="confirm" className="button" disabled={busy !== null}>
            {t("sheets.import.confirm")}
          </button>
        </Form>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="token" value={stage.token} />
          <button type="submit" name="intent" value="cancel" className="button secondary" disabled={busy !== null}>
            {t("sheets.import.cancel")}
          </button>
        </Form>
      </div>
      {committing && <CommitProgress token={stage.token} rows={IMPORT_NOUNS.reduce((n, k) => n + stage.preview[k].created + stage.preview[k].updated, 0)} />}
    </section>
  );
}

/** While the confirmation writes, the rows written so far, asked of the server twice a second. */
function CommitProgress({ token, rows }: { token: string; rows: number }) {
  const t = useT();
  const poll = useFetcher<typeof loader>();
  useEffect(() => {
    const timer = setInterval(() => poll.load(`/admin/import?progress=${encodeURIComponent(token)}`), 500);
    return () => clearInterval(timer);
    // one timer per confirmation (poll.load changes identity on every render)
  }, [token]);
  const p = poll.data?.progress;
  return (
    <div className="import-progress">
      <progress aria-label={t("sheets.import.progress")} max={p?.total || undefined} value={p?.total ? p.done : undefined} />
      <p role="status">
        {p?.total ? t("sheets.import.written", { done: p.done, total: p.total, percent: Math.floor((100 * p.done) / p.total) }) : t("sheets.import.committing", { n: rows })}
      </p>
    </div>
  );
}

function Done({ counts, created }: { counts: Preview; created: { noun: string; slug: string; name: string }[] }) {
  const t = useT();
  return (
    <section className="panel" aria-labelledby="done-h">
      <h2 id="done-h">{t("sheets.import.done")}</h2>
      <CountsTable counts={counts} caption={t("sheets.import.done")} />
      {created.length > 0 && (
        <>
          <h3>{t("sheets.import.newRecords")}</h3>
          <ul>
            {created.slice(0, 50).map((c) => (
              <li key={`${c.noun}/${c.slug}`}>
                {t(`sheets.sheet.${c.noun}` as MessageKey)}
                {t.colon}
                <Link to={`${NOUN_PATH[c.noun]}${c.slug}`}>{c.name}</Link>
              </li>
            ))}
          </ul>
          {created.length > 50 && <p className="muted">{t("sheets.import.more", { n: created.length - 50 })}</p>}
        </>
      )}
    </section>
  );
}
