import { z } from "zod";
import { EMAIL, PASSWORD } from "~/utils/auth.server";
import { safeString } from "~/utils/text-safety";
import { EnterpriseChoiceFields, ONE_ENTERPRISE } from "./enterprise.server";

// The schemas of forms whose routes would otherwise carry zod into the browser bundle: a schema
// built at a module's top level is a call the bundler cannot drop, so they live in a .server module.

/** account.tsx */
export const PasswordSchema = z.object({
  intent: z.literal("password"),
  currentPassword: z.string().min(1, "form.password.required"),
  newPassword: PASSWORD,
});

/** alliances.$slug.projects.$project.tsx: an enterprise from the list or a new name (chooseEnterprise) */
export const AdoptionSchema = z
  .object({
    ...EnterpriseChoiceFields,
    adoptedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "form.date"),
    benefit: safeString().trim().min(1, "form.required").max(300, "form.tooLong"),
  })
  .refine(...ONE_ENTERPRISE);

/** alliances.$slug.projects.new.tsx */
export const ProjectSchema = z.object({
  title: safeString().trim().min(1, "form.required").max(100, "form.tooLong"),
  goals: safeString().trim().min(1, "form.required").max(2000, "form.tooLong"),
  lead: z.string().regex(/^[a-z0-9-]{1,80}$/, "form.required"),
  partners: z
    .array(z.string().regex(/^[a-z0-9-]{1,80}$/))
    .max(20)
    .default([]),
  milestoneTitle: z.array(safeString().trim().max(100, "form.tooLong")).max(20).default([]),
  milestoneDue: z
    .array(z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, "form.date"))
    .max(20)
    .default([]),
  /** the slug of the need the project answers, or empty */
  need: z
    .string()
    .regex(/^([a-z0-9][a-z0-9-]{0,119})?$/, "form.invalid")
    .optional()
    .default(""),
});

/** alliances.new.tsx */
export const AllianceSchema = z.object({
  name: safeString().trim().min(1, "form.required").max(60, "form.tooLong"),
  theme: safeString().trim().min(1, "form.required").max(60, "form.tooLong"),
  industries: z
    .array(z.string().regex(/^[a-z0-9-]{1,80}$/, "form.invalid"))
    .max(10, "form.tooMany")
    .default([]),
  invite: z
    .array(z.string().regex(/^[a-z0-9-]{1,80}$/, "form.invalid"))
    .max(30, "form.tooMany")
    .default([]),
});

/** register.tsx */
export const RegisterSchema = z.object({
  name: safeString().trim().min(1, "form.name.required").max(40, "form.name.long"),
  email: EMAIL,
  password: PASSWORD,
  redirectTo: z.string().optional(),
});

/** studios.$slug.members.tsx */
export const InviteSchema = z.object({
  intent: z.literal("invite"),
  role: z.enum(["member", "admin"], "form.invalid"),
  email: z.union([z.literal(""), EMAIL]).optional(),
});

/** studios.$slug.results.new.tsx */
export const NewResultSchema = z.object({ title: safeString().trim().min(1, "form.required").max(120, "form.tooLong") });

/** forgot-password.tsx */
export const ForgotPasswordSchema = z.object({ email: EMAIL });

/** reset-password.$token.tsx */
export const ResetPasswordSchema = z
  .object({ password: PASSWORD, confirm: z.string().max(200, "form.password.long") })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "form.password.mismatch" });
