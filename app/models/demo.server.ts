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
