import { useT } from "~/i18n/use-t";

/** What the loader of a record's page tells its own studio (or enterprise) and coordinators about review (审核). */
export interface ReviewState {
  status: "pending" | "returned";
  kind: "new" | "change";
  reason: string;
}

/**
 * The 待审核 / 已退回 line on a result's, patent's or need's page, for those who see a record that
 * waits: a new one is not public yet; a change waits while the published version stays.
 */
export function ReviewNotice({ review, held, owner = "studio" }: { review: ReviewState | null; held?: boolean; owner?: "studio" | "enterprise" }) {
  const t = useT();
  if (!review)
    return held ? (
      <p className="notice success" role="status">
        {t("review.heldNotice")}
      </p>
    ) : null;
  return (
    <p className={`notice review-notice ${review.status}`} role="status">
      <span className={`badge review-${review.status}`}>{t(review.status === "pending" ? "review.pending" : "review.returned")}</span>{" "}
      {review.status === "returned"
        ? t("review.returnedWith", { reason: review.reason })
        : review.kind === "change"
          ? t("review.pendingChange")
          : t(owner === "enterprise" ? "review.pendingNeed" : "review.pendingNew")}
    </p>
  );
}
