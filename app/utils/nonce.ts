import { createContext, useContext } from "react";

/** The per-request script nonce of the Content-Security-Policy (set by server.mjs). */
export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);
