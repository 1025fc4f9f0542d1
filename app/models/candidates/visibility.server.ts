import type { SessionUser } from "~/utils/session.server";
import { allianceVisibleStudioIds } from "../alliance.server";

// The one place candidates ask which results a visitor may see, so that it can switch to the
// consolidated rule in result.server.ts when that lands. Today's rule, as the result page applies
// it: published, and public or alliance-only within an alliance the visitor's studio is in.

export type CanSeeResult = (r: { slug: string; studioId: string; visibility: string; published: boolean }) => boolean;

export async function resultVisibilityFor(user: SessionUser | null): Promise<CanSeeResult> {
  const alliance = await allianceVisibleStudioIds(user);
  return (r) => r.published && (r.visibility === "public" || alliance.has(r.studioId));
}
