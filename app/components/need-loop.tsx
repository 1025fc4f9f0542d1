import { Form, Link } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, TextAreaField, useErrorText } from "~/components/forms";
import { NEED_PATH } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { formatDateTime } from "~/utils/dates";
import { AttachmentLinks, AttachmentPicker } from "./attachment-picker";

// The need page's part of the 点单 → 配送 → 送技 loop: where the need is, what happened, and the
// one form each viewer may use at this step. Which steps a viewer may take is decided by the
// model (need-loop.server.ts); these only render what the loader allows.

export type LoopErrors = { step: string; errors: Record<string, string>; values: Record<string, string> } | null;

export function NeedStepper({ status }: { status: string }) {
  const t = useT();
  const off = status === "withdrawn" || status === "draft";
  const step = NEED_PATH.indexOf(status as (typeof NEED_PATH)[number]);
  if (off) return <p className={`badge need-${status}`}>{t(`needStatus.${status}` as MessageKey)}</p>;
  return (
    <ol className="steps" aria-label={t("need.status")}>
      {NEED_PATH.map((s, i) => (
        <li key={s} className={i < step ? "done" : i === step ? "current" : undefined} aria-current={i === step ? "step" : undefined}>
          {t(`needStatus.${s}` as MessageKey)}
        </li>
      ))}
    </ol>
  );
}

export interface TimelineEvent {
  id: string;
  step: string;
  to: string;
  at: string;
  actor: string | null;
  studio: { slug: string; name: string } | null;
  detail: Record<string, unknown>;
  /** the delivery record's files, for those who may download them */
  attachments?: { url: string; name: string; mime: string; size: number }[];
}

export function NeedTimeline({ events }: { events: TimelineEvent[] }) {
  const t = useT();
  if (!events.length) return null;
  return (
    <section className="panel" aria-labelledby="timeline-h">
      <h2 id="timeline-h">{t("loop.timeline")}</h2>
      <ol className="timeline">
        {events.map((e) => {
          const d = e.detail as {
            enquiry?: string;
            note?: string;
            reason?: string;
            rating?: number;
            comment?: string;
            visitDate?: string;
            people?: string[];
            hours?: number;
            date?: string;
          };
          return (
            <li key={e.id}>
              <p>
                <strong>{t(`loop.step.${e.step}` as MessageKey)}</strong>
                {e.studio && (
                  <>
                    {" "}
                    · <Link to={`/studios/${e.studio.slug}`}>{e.studio.name}</Link>
                  </>
                )}
              </p>
              <p className="muted small">
                {e.actor ?? t("history.unknownAuthor")} · <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              </p>
              {d.enquiry && <p className="small">{t("loop.fromEnquiry", { studio: d.enquiry })}</p>}
              {d.note && (
                <p className="small">
                  {t("loop.note")}
                  {t.colon}
                  {d.note}
                </p>
              )}
              {d.reason && (
                <p className="small">
                  {t("loop.reason")}
                  {t.colon}
                  {d.reason}
                </p>
              )}
              {d.visitDate && (
                <p className="small">
                  {t("loop.visitDate")}
                  {t.colon}
                  {d.visitDate}
                  {d.people?.length ? ` · ${d.people.join("、")}` : ""}
                </p>
              )}
              {e.step === "deliver" && d.date && (
                <p className="small">
                  {t("loop.deliveredOn", { date: d.date, hours: d.hours ?? 0 })}
                  {d.people?.length ? ` · ${d.people.join("、")}` : ""}
                </p>
              )}
              {e.attachments && <AttachmentLinks items={e.attachments} inline />}
              {typeof d.rating === "number" && (
                <p className="small">
                  {t("loop.rating")}
                  {t.colon}
                  {"★".repeat(d.rating)}
                  {"☆".repeat(5 - d.rating)}
                  {d.comment ? ` · ${d.comment}` : ""}
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

const errorsFor = (failed: LoopErrors, step: string) => (failed?.step === step ? failed : null);

/** The requester's steps: submit a draft, edit until dispatch, withdraw before delivery, confirm and rate. */
export function RequesterActions({ slug, status, version, failed }: { slug: string; status: string; version: number; failed: LoopErrors }) {
  const t = useT();
  const mine = errorsFor(failed, "confirm");
  return (
    <section className="panel" aria-labelledby="req-h">
      <h2 id="req-h">{t("loop.yourNeed")}</h2>
      {(status === "draft" || status === "open") && (
        <p>
          <Link className="button secondary" to={`/needs/${slug}/edit`}>
            {t("needForm.edit")}
          </Link>
        </p>
      )}
      {status === "delivered" && (
        <Form method="post" className="stack-form">
          <CsrfInput />
          <input type="hidden" name="version" value={version} />
          <ErrorSummary errors={mine?.errors} />
          <fieldset className="rating" aria-describedby={mine?.errors.rating ? "rating-error" : undefined}>
            <legend>{t("loop.rateDelivery")}</legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} className="inline">
                <input type="radio" name="rating" value={n} defaultChecked={mine?.values.rating === String(n)} /> {"★".repeat(n)}
              </label>
            ))}
          </fieldset>
          <TextAreaField label={t("loop.comment")} name="comment" rows={3} maxLength={1000} defaultValue={mine?.values.comment ?? ""} error={mine?.errors.comment} />
          <button type="submit" name="intent" value="confirm" className="button">
            {t("loop.confirm")}
          </button>
        </Form>
      )}
      {["draft", "open", "dispatched", "accepted"].includes(status) && (
        <Form
          method="post"
          className="inline-form"
          onSubmit={(e) => {
            if (!confirm(t("loop.withdrawConfirm"))) e.preventDefault();
          }}
        >
          <CsrfInput />
          <input type="hidden" name="version" value={version} />
          <button type="submit" name="intent" value="withdraw" className="button danger">
            {t("loop.withdraw")}
          </button>
        </Form>
      )}
    </section>
  );
}

/** 配送: the coordinator picks studios of other enterprises and adds a note. */
export function DispatchForm({
  version,
  studios,
  candidates,
  failed,
  overdue,
}: {
  version: number;
  studios: { slug: string; name: string; enterprise: string }[];
  /** the candidates' slugs, best first: offered first, the other studios folded away */
  candidates: string[];
  failed: LoopErrors;
  overdue: boolean;
}) {
  const t = useT();
  const err = useErrorText();
  const mine = errorsFor(failed, "dispatch");
  const picked = new Set((mine?.values.studios ?? "").split("\n"));
  const rank = new Map(candidates.map((slug, i) => [slug, i]));
  const first = studios.filter((s) => rank.has(s.slug)).sort((a, b) => rank.get(a.slug)! - rank.get(b.slug)!);
  const rest = studios.filter((s) => !rank.has(s.slug));
  const item = (s: { slug: string; name: string; enterprise: string }) => (
    <li key={s.slug}>
      <label>
        <input type="checkbox" name="studios" value={s.slug} defaultChecked={picked.has(s.slug)} /> {s.name}
      </label>
      <span className="muted small"> · {s.enterprise}</span>
    </li>
  );
  return (
    <section className="panel" aria-labelledby="dispatch-h">
      <h2 id="dispatch-h">{t("loop.dispatch")}</h2>
      {overdue && <p className="badge warn">{t("loop.overdue")}</p>}
      <Form method="post" className="stack-form">
        <CsrfInput />
        <input type="hidden" name="version" value={version} />
        <ErrorSummary errors={mine?.errors} />
        <fieldset aria-describedby={mine?.errors.studios ? "studios-error" : undefined}>
          <legend>{t("loop.pickStudios")}</legend>
          {first.length > 0 && (
            <ul className="plain check-list" aria-label={t("loop.candidatesFirst")}>
              {first.map(item)}
            </ul>
          )}
          {rest.length > 0 && (
            <details open={first.length === 0 || rest.some((x) => picked.has(x.slug))}>
              <summary>{t("loop.otherStudios", { n: rest.length })}</summary>
              <ul className="plain check-list">{rest.map(item)}</ul>
            </details>
          )}
          {mine?.errors.studios && (
            <p id="studios-error" className="field-error">
              {err(mine.errors.studios)}
            </p>
          )}
        </fieldset>
        <TextAreaField label={t("loop.note")} name="note" rows={2} maxLength={500} defaultValue={mine?.values.note ?? ""} error={mine?.errors.note} />
        <button type="submit" name="intent" value="dispatch" className="button">
          {t("loop.dispatchButton")}
        </button>
      </Form>
    </section>
  );
}

/** 接单 / 婉拒 / 送技记录: what a studio admin does with a need dispatched to the studio. */
export function StudioAnswer({
  studio,
  state,
  version,
  people,
  failed,
}: {
  studio: { slug: string; name: string };
  state: string;
  version: number;
  people: { id: string; name: string; role: string }[];
  failed: LoopErrors;
}) {
  const t = useT();
  const err = useErrorText();
  const accept = errorsFor(failed, "accept");
  const decline = errorsFor(failed, "decline");
  const deliver = errorsFor(failed, "deliver");
  const peoplePicker = (which: LoopErrors, legend: string) => {
    const picked = new Set((which?.values.people ?? "").split("\n"));
    return (
      <fieldset>
        <legend>{legend}</legend>
        {people.length === 0 ? (
          <p className="muted small">{t("loop.noPeople")}</p>
        ) : (
          <ul className="plain check-list">
            {people.map((p) => (
              <li key={p.id}>
                <label>
                  <input type="checkbox" name="people" value={p.id} defaultChecked={picked.has(p.id)} /> {p.name}
                </label>
              </li>
            ))}
          </ul>
        )}
        {which?.errors.people && <p className="field-error">{err(which.errors.people)}</p>}
      </fieldset>
    );
  };
  return (
    <section className="panel" aria-labelledby={`answer-${studio.slug}`}>
      <h2 id={`answer-${studio.slug}`}>{t("loop.forStudio", { name: studio.name })}</h2>
      {state === "dispatched" && (
        <>
          <Form method="post" className="stack-form">
            <CsrfInput />
            <input type="hidden" name="version" value={version} />
            <input type="hidden" name="studio" value={studio.slug} />
            <ErrorSummary errors={accept?.errors} />
            <Field label={t("loop.visitDate")} name="visitDate" type="date" required defaultValue={accept?.values.visitDate ?? ""} error={accept?.errors.visitDate} />
            {peoplePicker(accept, t("loop.whoGoes"))}
            <button type="submit" name="intent" value="accept" className="button">
              {t("loop.accept")}
            </button>
          </Form>
          <Form method="post" className="stack-form">
            <CsrfInput />
            <input type="hidden" name="version" value={version} />
            <input type="hidden" name="studio" value={studio.slug} />
            <ErrorSummary errors={decline?.errors} />
            <TextAreaField label={t("loop.reason")} name="reason" rows={2} required maxLength={500} defaultValue={decline?.values.reason ?? ""} error={decline?.errors.reason} />
            <button type="submit" name="intent" value="decline" className="button secondary">
              {t("loop.decline")}
            </button>
          </Form>
        </>
      )}
      {state === "accepted" && (
        <Form method="post" className="stack-form">
          <CsrfInput />
          <input type="hidden" name="version" value={version} />
          <input type="hidden" name="studio" value={studio.slug} />
          <h3>{t("loop.recordDelivery")}</h3>
          <ErrorSummary errors={deliver?.errors} />
          <div className="field-row">
            <Field label={t("loop.deliveryDate")} name="date" type="date" required defaultValue={deliver?.values.date ?? ""} error={deliver?.errors.date} />
            <Field label={t("loop.hours")} name="hours" type="number" min="0.5" step="0.5" required defaultValue={deliver?.values.hours ?? ""} error={deliver?.errors.hours} />
          </div>
          {peoplePicker(deliver, t("loop.whoWent"))}
          <TextAreaField label={t("loop.work")} name="work" rows={3} required maxLength={2000} defaultValue={deliver?.values.work ?? ""} error={deliver?.errors.work} />
          <TextAreaField label={t("loop.outcome")} name="outcome" rows={3} required maxLength={2000} defaultValue={deliver?.values.outcome ?? ""} error={deliver?.errors.outcome} />
          <AttachmentPicker />
          {deliver?.errors.attachments && <p className="field-error">{err(deliver.errors.attachments)}</p>}
          <button type="submit" name="intent" value="deliver" className="button">
            {t("loop.deliver")}
          </button>
        </Form>
      )}
      {(state === "declined" || state === "delivered") && <p className="muted">{t(`dispatchState.${state}` as MessageKey)}</p>}
    </section>
  );
}
