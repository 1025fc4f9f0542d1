/** The site's public origin for links in emails: PUBLIC_URL when set, else the request's own. */
export function siteOrigin(request: Request): string {
  return (process.env.PUBLIC_URL ?? new URL(request.url).origin).replace(/\/+$/, "");
}
