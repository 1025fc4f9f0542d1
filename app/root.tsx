import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useLocation, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { getLocale } from "~/i18n/locale.server";
import { useNonce } from "~/utils/nonce";
import type { MessageKey } from "~/i18n/messages";
import { messagesFor } from "~/i18n/catalogue";
import { catalogueVersion } from "~/i18n/catalogue.server";
import { CsrfInput } from "~/components/csrf";
import { getCsrfToken } from "~/utils/csrf.server";
import { getUser } from "~/utils/session.server";
import { unreadCountAfterVisit } from "~/models/notification.server";
import { getSiteSettings } from "~/models/site-setting.server";
import { SearchBox } from "~/components/search-box";
import { useT, type RootI18n } from "~/i18n/use-t";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** Only the error page uses this: every page route has its own meta (title and description). */
export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  const m = messagesFor(data?.locale);
  if (!m) return [{ title: "劳模工匠创新工作室联盟 · Studio Alliance Hub" }];
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const title = notFound ? m["notFound.title"] : error ? m["error.title"] : m["site.name"];
  const description = notFound ? m["notFound.text"] : error ? m["error.text"] : m["site.tagline"];
  // the same name as the header's, on every page
  return [{ title: notFound || error ? `${title} · ${m["site.name"]}` : title }, { name: "description", content: description }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [locale, user, csrf, settings] = await Promise.all([getLocale(request), getUser(request), getCsrfToken(request), getSiteSettings()]);
  // server.mjs keeps an anonymous page with the visitor's token cut out (app/utils/page-cache.server.ts)
  const page = (context as { page?: { token: string | null } }).page;
  if (page) page.token = csrf.token;
  return data(
    {
      locale,
      catalogue: catalogueVersion(locale),
      csrf: csrf.token,
      footer: { host: settings.host, contact: settings.contact, icp: settings.icp, police: settings.police },
      user: user ? { name: user.name, role: user.role, unread: await unreadCountAfterVisit(user.id, new URL(request.url).pathname) } : null,
    },
    { headers: csrf.setCookie ? { "Set-Cookie": csrf.setCookie } : {} },
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData("root") as RootI18n | undefined;
  const nonce = useNonce(); // the Content-Security-Policy allows only inline scripts with it (server.mjs)
  // a navigation that changed the language (the switch itself reloads the page) finds no strings for it
  useEffect(() => {
    if (data?.locale && !messagesFor(data.locale)) window.location.reload();
  }, [data?.locale]);
  return (
    <html lang={data?.locale ?? "zh-CN"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        {/* the interface strings of the page's language, before the scripts that hydrate it */}
        {data?.catalogue ? <script nonce={nonce} src={`/i18n/${data.locale}.${data.catalogue}.js`} /> : null}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const t = useT();
  const location = useLocation();
  const here = location.pathname + location.search;
  const nav = [
    ["/studios", "nav.studios"],
    ["/people", "people.nav"],
    ["/results", "nav.results"],
    ["/patents", "nav.patents"],
    ["/needs", "nav.needs"],
    ["/enterprises", "nav.enterprises"],
    ["/alliances", "nav.alliances"],
    ["/match", "nav.match"],
  ] as const;
  return (
    <>
      <a className="skip" href="#main">
        {t("nav.skip")}
      </a>
      <header className="site-header">
        <div className="wrap header-row">
          <Link to="/" className="brand">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span>{t("site.name")}</span>
          </Link>
          <SearchBox />
          <AccountLinks />
          <Form method="post" action="/language" reloadDocument className="lang-switch" aria-label={t("lang.switch")}>
            <CsrfInput />
            <input type="hidden" name="redirectTo" value={here} />
            <button name="lang" value="zh-CN" aria-pressed={t.locale === "zh-CN"} lang="zh-CN">
              {t("lang.zh")}
            </button>
            <button name="lang" value="en" aria-pressed={t.locale === "en"} lang="en">
              {t("lang.en")}
            </button>
          </Form>
        </div>
        <nav aria-label={t("nav.main")} className="wrap main-nav">
          {nav.map(([to, key]) => (
            <NavLink key={to} to={to} prefetch="intent">
              {t(key)}
            </NavLink>
          ))}
        </nav>
      </header>
      <main id="main" className="wrap">
        {children}
      </main>
      <footer className="site-footer">
        <div className="wrap">
          <SiteRegistration />
          <p>{t("footer.source")}</p>
          <p>
            <a href="/api/health">{t("footer.api")}</a> · <code>/api/search</code> · <code>/api/studios/:slug</code>
          </p>
        </div>
      </footer>
    </>
  );
}

/** 主办单位, 联系方式 and the registration numbers from the site settings, as Chinese sites show them. */
function SiteRegistration() {
  const t = useT();
  const f = (useRouteLoaderData("root") as { footer?: Record<"host" | "contact" | "icp" | "police", string> } | undefined)?.footer;
  if (!f || !(f.host || f.contact || f.icp || f.police)) return null;
  const police = /\d{14}/.exec(f.police)?.[0];
  return (
    <p className="site-registration">
      {f.host && <span>{t("footer.host", { value: f.host })}</span>}
      {f.contact && <span>{t("footer.contact", { value: f.contact })}</span>}
      {f.icp && (
        <a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener noreferrer">
          {f.icp}
        </a>
      )}
      {f.police && police && (
        <a href={`https://beian.mps.gov.cn/#/query/webSearch?code=${police}`} target="_blank" rel="noopener noreferrer">
          {f.police}
        </a>
      )}
    </p>
  );
}

function AccountLinks() {
  const t = useT();
  const data = useRouteLoaderData("root") as { user: { name: string; role: string; unread: number } | null } | undefined;
  if (!data?.user) {
    return (
      <Link to="/login" className="account-link">
        {t("auth.login")}
      </Link>
    );
  }
  return (
    <div className="account-links">
      <Link to="/inbox" className="account-link inbox-link">
        {t("nav.inbox")}
        {data.user.unread > 0 && (
          <span className="count-badge" aria-label={t("inbox.unread", { n: data.user.unread })}>
            {data.user.unread}
          </span>
        )}
      </Link>
      {(data.user.role === "coordinator" || data.user.role === "admin") && (
        <Link to="/dashboard" className="account-link">
          {t("dashboard.nav")}
        </Link>
      )}
      {(data.user.role === "coordinator" || data.user.role === "admin") && (
        <Link to="/review" className="account-link">
          {t("review.nav")}
        </Link>
      )}
      {data.user.role === "admin" && (
        <Link to="/admin" className="account-link">
          {t("admin.nav")}
        </Link>
      )}
      {data.user.role === "admin" && (
        <Link to="/admin/search" className="account-link">
          {t("nav.adminSearch")}
        </Link>
      )}
      <Link to="/account" className="account-link">
        {data.user.name}
      </Link>
      <Form method="post" action="/logout">
        <CsrfInput />
        <button type="submit" className="link-button">
          {t("auth.logout")}
        </button>
      </Form>
    </div>
  );
}

export default function App() {
  return (
    <Shell>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const notFound = status === 404;
  // a refusal says why as a message key (app/utils/http.server.ts `refusal`), shown in the visitor's language
  const key: unknown = isRouteErrorResponse(error) ? error.data?.error?.key : undefined;
  const detail: string | null = typeof key === "string" && t.has(key) ? t(key as MessageKey) : null;
  const suggestions: { href: string; label: string }[] = isRouteErrorResponse(error) && Array.isArray(error.data?.suggestions) ? error.data.suggestions : [];
  if (status >= 500) console.error(error);
  const [title, text] = notFound
    ? [t("notFound.title"), t("notFound.text")]
    : status === 403
      ? [t("forbidden.title"), t("forbidden.text")]
      : status < 500
        ? [t("badRequest.title"), ""]
        : [t("error.title"), t("error.text")];
  return (
    <Shell>
      <section className="not-found">
        <p className="status-code">{status}</p>
        <h1>{title}</h1>
        {text && <p>{text}</p>}
        {detail && <p className="error-detail">{detail}</p>}
        {suggestions.length > 0 && (
          <>
            <p>{t("notFound.suggest")}</p>
            <ul>
              {suggestions.map((s) => (
                <li key={s.href}>
                  <Link to={s.href}>{s.label}</Link>
                </li>
              ))}
            </ul>
          </>
        )}
        <p className="actions">
          <Link to="/" className="button">
            {t("notFound.home")}
          </Link>
          <Link to="/studios" className="button secondary">
            {t("notFound.studios")}
          </Link>
        </p>
      </section>
    </Shell>
  );
}
