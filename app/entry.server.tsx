import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { provideMessages } from "~/i18n/catalogue";
import { MESSAGES } from "~/i18n/messages";
import { NonceContext } from "~/utils/nonce";
import { getSessionId } from "~/utils/session.server";

const ABORT_DELAY = 5_000;

// pages rendered here read their strings from the catalogues (browsers load theirs as a script)
provideMessages(MESSAGES);

/**
 * Whatever is rendered for a signed-in visitor (their name in the header, and on many pages email
 * addresses) must not be kept by a browser or proxy cache, unless the route chose its own policy.
 */
async function privateUnlessSaid(request: Request, headers: Headers) {
  if (!headers.has("Cache-Control") && (await getSessionId(request))) headers.set("Cache-Control", "private, no-store");
}

export async function handleDataRequest(response: Response, { request }: { request: Request }) {
  try {
    await privateUnlessSaid(request, response.headers);
    return response;
  } catch {
    // a Response whose headers are immutable: copy it
    const headers = new Headers(response.headers);
    await privateUnlessSaid(request, headers);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

export default async function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext, loadContext: AppLoadContext) {
  const nonce = typeof loadContext?.nonce === "string" ? loadContext.nonce : undefined;
  const bot = isbot(request.headers.get("user-agent") || "");
  await privateUnlessSaid(request, responseHeaders);
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [bot ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

// for server.mjs, which limits request bodies before Remix reads them
export { bodyLimitFor, requestTooLarge } from "~/utils/body-limit.server";
// for server.mjs: scheduled work runs on a timer in the server processes, never in a request
export { startScheduledWork } from "~/models/scheduled-job.server";
// for server.mjs: the entity tag that answers an anonymous repeat visit 304
export { anonymousPageTag, currentGeneration } from "~/utils/page-version.server";
export { anonymousPageKey, isPage, keepPage, keptPage } from "~/utils/page-cache.server";
