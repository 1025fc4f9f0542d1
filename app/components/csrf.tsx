import { useRouteLoaderData } from "@remix-run/react";

/** The hidden token every state-changing form carries (see app/utils/csrf.server.ts). */
export function CsrfInput() {
  const data = useRouteLoaderData("root") as { csrf?: string } | undefined;
  return <input type="hidden" name="csrf" value={data?.csrf ?? ""} />;
}

export function useCsrfToken(): string {
  const data = useRouteLoaderData("root") as { csrf?: string } | undefined;
  return data?.csrf ?? "";
}
