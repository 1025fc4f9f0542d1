/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Single Fetch: loaders may return data() with a status, and useLoaderData types unwrap it.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    /** the client's address, for rate limiting (server.mjs) */
    clientAddress?: string;
    /** the Content-Security-Policy script nonce of this request */
    nonce?: string;
  }
}
export {};
