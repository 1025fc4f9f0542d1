import { z } from "zod";

type Vars = Record<string, string | undefined>;

// How the site tells a newcomer's machine from a real deployment (docs/decisions/0013): a
// deployment is public when PUBLIC_URL names an address other people can reach.

const PublicUrl = z.url({ protocol: /^https?$/, error: "PUBLIC_URL must be an http(s) address such as https://hub.example.cn" }).transform((u) => new URL(u).origin);

/** PUBLIC_URL's origin (no path, no trailing slash), or null when it is not set. Throws when it is malformed. */
export function publicUrl(env: Vars = process.env): string | null {
  const raw = env.PUBLIC_URL?.trim();
  if (!raw) return null;
  const parsed = PublicUrl.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid environment:\n  PUBLIC_URL: ${parsed.error.issues[0].message} (got "${raw}")`);
  return parsed.data;
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1: addresses only this machine reaches. */
export function isLocalHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(h) || h === "::1" || h === "0:0:0:0:0:0:0:1";
}

/** True when PUBLIC_URL is set to a non-local address: no demo accounts there. */
export function isPublicDeployment(env: Vars = process.env): boolean {
  const url = publicUrl(env);
  return url !== null && !isLocalHostname(new URL(url).hostname);
}

/**
 * The origin every link in mail starts with: PUBLIC_URL, else http://localhost:$PORT.
 * Never the request's Host header, which the sender of the request chooses.
 */
export function siteOrigin(env: Vars = process.env): string {
  return publicUrl(env) ?? `http://localhost:${Number(env.PORT) || 3000}`;
}
