// Due-milestone reminders are scheduled work: run by a timer in the server processes and claimed
// once across them, never by whichever page a signed-in user happens to open.
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { claimJob, JOBS, runScheduledJobs } from "~/models/scheduled-job.server";
import * as root from "~/root";
import { db } from "~/utils/db.server";
import { createUser, getRequest, mailsTo, sessionCookie, unique, type TestUser } from "../setup/auth";

let member: TestUser;
let cookie: string;
beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  member = await createUser({ studio: "xu-xin" });
  cookie = await sessionCookie(member.id);
}, 120_000);

/** A joint project of xu-xin's with one milestone due on `dueOn`. */
async function milestoneDue(dueOn: string) {
  const studio = await db.studio.findUniqueOrThrow({ where: { slug: "xu-xin" } });
  const u = unique();
  const alliance = await db.alliance.create({ data: { slug: `a-${u}`, name: `仿真培训联盟${u}`, theme: "仿真培训", charter: "{}" } });
  const project = await db.jointProject.create({
    data: { slug: `p-${u}`, allianceId: alliance.id, title: `司机培训联合攻关${u}`, status: "active", participants: { create: [{ studioId: studio.id, role: "lead" }] } },
  });
  return db.milestone.create({ data: { projectId: project.id, title: "样机联调", dueOn } });
}

const dueNotes = (userId: string, due: string) => db.notification.count({ where: { userId, kind: "milestone.due", params: { contains: `"due":"${due}"` } } });

describe("the root loader", () => {
  test("sends no reminders and writes nothing, even for a milestone that is due", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const m = await milestoneDue(today);
    const before = await db.notification.count();
    await root.loader({ request: getRequest("/", cookie), params: {}, context: {} });
    expect(await db.notification.count()).toBe(before);
    expect((await db.milestone.findUniqueOrThrow({ where: { id: m.id } })).dueNotifiedAt).toBeNull();
  });
});

describe("the reminder job", () => {
  const job = JOBS.find((j) => j.name === "milestone-due-reminders")!;

  test("is claimed once per interval: not again before it, again after it", async () => {
    const t = new Date("2031-05-01T08:00:00Z");
    const job1 = { name: `test-${unique()}`, everyMs: job.everyMs };
    expect(await claimJob(job1, t)).toBe(true);
    expect(await claimJob(job1, new Date(t.getTime() + 60_000))).toBe(false);
    expect(await claimJob(job1, new Date(t.getTime() + job.everyMs))).toBe(true);
  });

  test("two server processes ticking at the same moment: one runs it, each due notice is sent once", async () => {
    const m = await milestoneDue("2032-03-10");
    const now = "2032-03-08T08:00:00.000Z";
    const startAt = Date.now() + 5_000;
    const run = () =>
      new Promise<{ name: string; ran: boolean; done?: number }[]>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/run-scheduled.ts", JSON.stringify({ startAt, now })], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(err))));
      });
    const results = (await Promise.all([run(), run(), run()])).map((runs) => runs.find((r) => r.name === job.name)!);
    expect(results.filter((r) => r.ran)).toEqual([{ name: job.name, ran: true, done: expect.any(Number) }]);
    const title = `里程碑即将到期（2032-03-10）`;
    expect(await dueNotes(member.id, "2032-03-10")).toBe(1);
    expect(mailsTo(member.email).filter((mail) => mail.subject.startsWith(title))).toHaveLength(1);
    expect((await db.milestone.findUniqueOrThrow({ where: { id: m.id } })).dueNotifiedAt).not.toBeNull();

    // the next tick, after the interval, finds nothing left to send
    const later = await runScheduledJobs(new Date(new Date(now).getTime() + job.everyMs));
    expect(later.find((r) => r.name === job.name)).toEqual({ name: job.name, ran: true, done: 0 });
    expect(await dueNotes(member.id, "2032-03-10")).toBe(1);
  }, 60_000);
});
