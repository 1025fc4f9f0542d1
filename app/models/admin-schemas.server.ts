import { z } from "zod";

// The forms of /admin's pages (kept in a .server module so zod stays out of the browser bundle).

/** admin.users.tsx: one of the row's buttons; `back` is the list's query string to return to. */
export const AdminUserActionSchema = z.object({
  intent: z.enum(["role", "disable", "enable", "reset"]),
  userId: z.string().min(1).max(100),
  role: z.string().max(40).optional(),
  back: z.string().max(300).optional().default(""),
});

const DAY = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "admin.audit.badDate")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "admin.audit.badDate");
const optional = <S extends z.ZodType>(s: S) => z.preprocess((v) => (v === "" || v === null ? undefined : v), s.optional());

/** admin.audit.tsx: the filters in the query string. */
export const AuditQuerySchema = z.object({
  actor: optional(z.string().max(100)),
  verb: optional(
    z
      .string()
      .max(60)
      .regex(/^[a-zA-Z.-]+$/),
  ),
  subject: optional(
    z
      .string()
      .max(60)
      .regex(/^[a-zA-Z-]+$/),
  ),
  from: optional(DAY),
  to: optional(DAY),
  page: optional(z.coerce.number().int().min(1).max(100_000)),
});

/** admin.enterprises.tsx: create, update, archive, restore or merge; the fields are checked by the model. */
export const AdminEnterpriseActionSchema = z.object({
  intent: z.enum(["create", "update", "archive", "restore", "merge"]),
  id: z.string().max(100).optional(),
  name: z.string().max(1000).optional(),
  nameEn: z.string().max(1000).optional(),
  description: z.string().max(10_000).optional(),
  from: z.string().max(100).optional(),
  into: z.string().max(100).optional(),
});

/** admin.honours.tsx: one of the page's forms; the fields themselves are checked by HonourSchema in the model. */
export const AdminHonourActionSchema = z.object({
  intent: z.enum(["create", "update", "retire", "restore"]),
  key: z.string().max(100).optional(),
  nameZh: z.string().max(1000).optional(),
  nameEn: z.string().max(1000).optional(),
  level: z.string().max(40).optional(),
});
