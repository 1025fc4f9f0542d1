import type { Db } from "~/utils/db.server";
import { hashPassword } from "~/utils/password.server";

/** One demo account per role, created with the seed content (listed in the README). */
export const DEMO_ACCOUNTS = [
  { email: "member@demo.example", name: "张工（成员）", role: "member", studio: "xu-xin", studioRole: "member" },
  { email: "studio-admin@demo.example", name: "李工（工作室管理员）", role: "member", studio: "xu-xin", studioRole: "admin" },
  { email: "signal-admin@demo.example", name: "孙工（信号工作室管理员）", role: "member", studio: "metro-signal", studioRole: "admin" },
  { email: "grid-admin@demo.example", name: "马工（配网工作室管理员）", role: "member", studio: "distribution-live-line", studioRole: "admin" },
  { email: "gas-admin@demo.example", name: "赵工（燃气工作室管理员）", role: "member", studio: "zhongzhou-gas-pipeline", studioRole: "admin" },
  { email: "enterprise@demo.example", name: "何部长（企业联系人）", role: "member", studio: null, studioRole: null, enterprise: "郑州博远轴承有限公司" },
  { email: "coordinator@demo.example", name: "王协调（工会联盟协调人）", role: "coordinator", studio: null, studioRole: null },
  { email: "admin@demo.example", name: "网站管理员", role: "admin", studio: null, studioRole: null },
] as const;
export const DEMO_PASSWORD = "demo-password-2026";

export async function ensureDemoAccounts(db: Db): Promise<number> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let created = 0;
  for (const a of DEMO_ACCOUNTS) {
    if (await db.user.findUnique({ where: { email: a.email } })) continue;
    const user = await db.user.create({ data: { email: a.email, name: a.name, role: a.role, passwordHash, emailVerifiedAt: new Date() } });
    if (a.studio) {
      const studio = await db.studio.findUnique({ where: { slug: a.studio } });
      if (studio) await db.membership.create({ data: { userId: user.id, studioId: studio.id, role: a.studioRole ?? "member" } });
    }
    if ("enterprise" in a) {
      const enterprise = await db.enterprise.findUnique({ where: { name: a.enterprise } });
      if (enterprise) await db.enterpriseContact.create({ data: { userId: user.id, enterpriseId: enterprise.id, status: "confirmed" } });
    }
    created++;
  }
  return created;
}

const DEMO_EMAILS: string[] = DEMO_ACCOUNTS.map((a) => a.email);

/**
 * On a public deployment the demo accounts' password is in the README: they can no longer sign
 * in (disabledAt), their sessions end, and a reset link is never sent to them. Returns the
 * addresses disabled by this call.
 */
export async function disableDemoAccounts(db: Db): Promise<string[]> {
  const live = await db.user.findMany({ where: { email: { in: DEMO_EMAILS }, disabledAt: null }, select: { id: true, email: true } });
  if (!live.length) return [];
  const ids = live.map((u) => u.id);
  await db.$transaction([
    db.user.updateMany({ where: { id: { in: ids } }, data: { disabledAt: new Date() } }),
    db.session.deleteMany({ where: { userId: { in: ids } } }),
    db.emailToken.deleteMany({ where: { userId: { in: ids } } }),
  ]);
  return live.map((u) => u.email);
}

/**
 * What `npm start` does about accounts: on a newcomer's machine, create the demo accounts with
 * the seed content; on a public deployment, create none and disable any that exist. Returns the
 * lines to print.
 */
export async function prepareAccounts(db: Db, o: { publicDeployment: boolean; freshDatabase: boolean; demoAccounts: boolean }): Promise<string[]> {
  if (o.publicDeployment) {
    const disabled = await disableDemoAccounts(db);
    const lines = disabled.length
      ? [
          `WARNING: PUBLIC_URL makes this a public deployment, whose demo accounts have a published password: disabled ${disabled.join(", ")} (they cannot sign in; their sessions are ended).`,
        ]
      : [];
    if (!(await db.user.count({ where: { role: "admin", disabledAt: null } }))) {
      lines.push("No site admin yet: create one with `npm run admin:create -- --email <address> --name <name>` (the password from ADMIN_PASSWORD, or asked for).");
    }
    return lines;
  }
  if (!o.freshDatabase || !o.demoAccounts) return [];
  const n = await ensureDemoAccounts(db);
  return n ? [`demo accounts: ${n} created (see README), password ${DEMO_PASSWORD}`] : [];
}
