import { siteOrigin as configuredOrigin } from "./deployment.server";

/**
 * The site's public origin for links in emails, from configuration only (PUBLIC_URL, else
 * http://localhost:$PORT). The request is accepted for the callers' convenience and never read:
 * its Host header is whatever the sender wrote (issue 8).
 */
export function siteOrigin(_request?: Request): string {
  return configuredOrigin();
}
