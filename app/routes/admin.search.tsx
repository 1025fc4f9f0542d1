import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Notice } from "~/components/forms";
import { PageHead, Section } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import {
  createSynonymGroup,
  deleteSynonymGroup,
  listShippedSynonymGroups,
  listSynonymGroups,
  MAX_GROUPS,
  recentSynonymChanges,
  updateSynonymGroup,
  type SynonymOutcome,
} from "~/models/synonym.server";
import { requireSiteAdmin } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { formatDateTime } from "~/utils/dates";
import { pageMeta } from "~/utils/meta";
import styles from "~/styles/admin-search.css";
import { forbidden, readForm } from "~/utils/http.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "synonyms.title");

const DONE = ["created", "updated", "deleted"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSiteAdmin(request);
  const [groups, changes] = await Promise.all([listSynonymGroups(user), recentSynonymChanges(user)]);
  if (!groups || !changes) throw forbidden("refused.siteAdmin");
  const params = new URL(request.url).searchParams;
  const done = DONE.find((d) => d === params.get("done")) ?? null;
  return { groups, changes, shipped: listShippedSynonymGroups(), done, doneGroup: params.get("group"), maxGroups: MAX_GROUPS };
}

type Failure = {
  intent: "create" | "update" | "delete";
  id: string | null;
  errors: Record<string, string>;
  word: string | null;
  values: { words: string };
};

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireSiteAdmin(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const intent = form.get("intent");
  const id = typeof form.get("id") === "string" ? String(form.get("id")) : null;
  const words = typeof form.get("words") === "string" ? String(form.get("words")) : "";
  let outcome: SynonymOutcome;
  if (intent === "create") outcome = await createSynonymGroup(user, words);
  else if (intent === "update" && id) outcome = await updateSynonymGroup(user, id, words);
  else if (intent === "delete" && id) outcome = await deleteSynonymGroup(user, id);
  else return data<Failure>({ intent: "create", id: null, errors: { _form: "form.invalid" }, word: null, values: { words } }, { status: 400 });

  if (outcome.ok) {
    const group = outcome.group ? `&group=${encodeURIComponent(outcome.group.id)}` : "";
    throw redirect(`/admin/search?done=${intent === "create" ? "created" : intent === "update" ? "updated" : "deleted"}${group}`);
  }
  if (outcome.reason === "forbidden") throw forbidden("refused.siteAdmin");
  const failure: Failure = { intent, id, errors: {}, word: null, values: { words } };
  if (outcome.reason === "not-found") return data<Failure>({ ...failure, errors: { _form: "synonyms.error.notFound" } }, { status: 404 });
  // the group limit is about the page, not the words typed
  const field = outcome.problem.key === "synonyms.error.tooManyGroups" ? "_form" : "words";
  return data<Failure>({ ...failure, errors: { [field]: outcome.problem.key }, word: outcome.problem.word ?? null }, { status: 400 });
}

export default function AdminSearchRoute() {
  const { groups, changes, shipped, done, doneGroup, maxGroups } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as Failure | undefined;
  const navigation = useNavigation();
  const t = useT();
  const sep = t.locale === "en" ? ", " : "、";
  const busy = navigation.state !== "idle";
  const problem = (f: Failure | undefined) => (f?.errors.words ? t(f.errors.words as MessageKey, { word: f.word ?? "" }) : undefined);
  const doneWords = groups.find((g) => g.id === doneGroup)?.words.join(sep) ?? "";
  const addFailed = failed?.intent === "create" ? failed : undefined;
  return (
    <div className="narrow wide admin-search">
      <PageHead title={t("synonyms.title")} lead={t("synonyms.lead")} />
      {failed?.errors._form ? <ErrorSummary errors={{ _form: failed.errors._form }} /> : failed && <ErrorSummary errors={failed.errors} />}
      {!failed && done && (
        <Notice tone="success">{done === "deleted" ? t("synonyms.deleted") : t(done === "created" ? "synonyms.created" : "synonyms.updated", { words: doneWords })}</Notice>
      )}

      <Section title={t("synonyms.add")} id="add">
        <Form method="post" className="stack-form" noValidate>
          <CsrfInput />
          <WordsField
            label={t("synonyms.words")}
            hint={t("synonyms.wordsHint")}
            defaultValue={addFailed?.values.words ?? ""}
            error={problem(addFailed)}
            resetKey={doneGroup ?? done ?? ""}
          />
          <button type="submit" name="intent" value="create" className="button" disabled={busy}>
            {t("synonyms.create")}
          </button>
        </Form>
      </Section>

      <Section title={t("synonyms.site")} id="site-groups">
        <p className="muted small">{t("synonyms.siteCount", { n: groups.length, max: maxGroups })}</p>
        {groups.length === 0 ? (
          <p className="empty">{t("synonyms.siteEmpty")}</p>
        ) : (
          <ul className="list synonym-list">
            {groups.map((g) => {
              const mine = failed && failed.intent !== "create" && failed.id === g.id ? failed : undefined;
              const text = g.words.join(sep);
              return (
                <li key={g.id} id={`group-${g.id}`}>
                  <Form method="post" className="synonym-row" noValidate>
                    <CsrfInput />
                    <input type="hidden" name="id" value={g.id} />
                    <WordsField label={t("synonyms.wordsOf", { words: text })} hideLabel defaultValue={mine?.values.words ?? text} error={problem(mine)} resetKey={g.updatedAt} />
                    <div className="synonym-actions">
                      <button type="submit" name="intent" value="update" className="button" disabled={busy}>
                        {t("synonyms.save")}
                      </button>
                      <button type="submit" name="intent" value="delete" className="button secondary" disabled={busy} aria-label={t("synonyms.removeGroup", { words: text })}>
                        {t("synonyms.remove")}
                      </button>
                    </div>
                  </Form>
                </li>
              );
            })}
          </ul>
        )}
      </Section>

      {changes.length > 0 && (
        <Section title={t("synonyms.history")} id="history">
          <ul className="plain small synonym-history">
            {changes.map((c) => (
              <li key={c.id}>
                <time dateTime={c.at}>{formatDateTime(c.at)}</time> {c.by ? `${c.by} · ` : ""}
                {t(`synonyms.verb.${c.verb}` as MessageKey)}
                {t.colon}
                {c.summary}
              </li>
            ))}
          </ul>
        </Section>
      )}

      <Section title={t("synonyms.shipped")} id="shipped">
        <p className="muted small">{t("synonyms.shippedLead")}</p>
        <ul className="synonym-shipped">
          {shipped.map((g) => (
            <li key={g.join("|")}>
              {g.map((w) => (
                <span key={w} className="badge" lang={/^[\x20-\x7e]+$/.test(w) ? "en" : "zh-CN"}>
                  {w}
                </span>
              ))}
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}

function WordsField({
  label,
  hint,
  defaultValue,
  error,
  hideLabel,
  resetKey,
}: {
  label: string;
  hint?: string;
  defaultValue: string;
  error?: string;
  hideLabel?: boolean;
  resetKey: string;
}) {
  const id = useId();
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id} className={hideLabel ? "visually-hidden" : undefined}>
        {label}
      </label>
      {/* keyed so that the field shows what was saved after a redirect, and what was typed after an error */}
      <input
        key={`${resetKey}:${defaultValue}`}
        id={id}
        name="words"
        defaultValue={defaultValue}
        maxLength={2000}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined}
      />
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
