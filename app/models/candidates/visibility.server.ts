import type { SessionUser } from "~/utils/session.server";
import { isResultVisibleTo } from "../result-visibility";
import { resultViewer } from "../result.server";

// Which results a visitor may see, for the candidates' evidence and citations: the one result
// visibility rule (result-visibility.ts), asked once per request.

export type CanSeeResult = (r: { slug: string; studioId: string; visibility: string; published: boolean; review: string | null }) => boolean;

export async function resultVisibilityFor(user: SessionUser | null): Promise<CanSeeResult> {
  const viewer = await resultViewer(user);
  return (r) => isResultVisibleTo(viewer, r);
}
