import { z } from "zod";

// The forms of /admin's pages (kept in a .server module so zod stays out of the browser bundle).

/** admin.users.tsx: one of the row's buttons; `back` is the list's query string to return to. */
export const AdminUserActionSchema = z.object({
  intent: z.enum(["role", "disable", "enable", "reset"]),
  userId: z.string().min(1).max(100),
  role: z.string().max(40).optional(),
  back: z.string().max(300).optional().default(""),
});
