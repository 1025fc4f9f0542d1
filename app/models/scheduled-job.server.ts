import os from "node:os";
import { db } from "~/utils/db.server";
import { notifyDueMilestones } from "./alliance.server";

// Scheduled work runs on a timer in each server process (server.mjs calls startScheduledWork),
// never inside a page request. Each job is claimed in the database before it runs: the claim moves
// the job's nextRunAt forward in one write transaction (BEGIN IMMEDIATE), so when several processes
// tick at once exactly one of them runs it.

export interface Job {
  name: string;
  everyMs: number;
  run: (now: Date) => Promise<number>;
}

const publicOrigin = () => process.env.PUBLIC_URL?.replace(/\/+$/, "");

export const JOBS: Job[] = [
  // participants hear about milestones due within three days, once each
  { name: "milestone-due-reminders", everyMs: 5 * 60_000, run: (now) => notifyDueMilestones(publicOrigin(), now) },
];

const holder = `${os.hostname()}:${process.pid}`;

/** Claims a job when it is due: true for exactly one caller per due time, across processes. */
export async function claimJob(job: Pick<Job, "name" | "everyMs">, now = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const row = await tx.scheduledJob.findUnique({ where: { name: job.name } });
    if (row && row.nextRunAt > now) return false;
    const data = { nextRunAt: new Date(now.getTime() + job.everyMs), holder, lastRunAt: now };
    await tx.scheduledJob.upsert({ where: { name: job.name }, create: { name: job.name, ...data }, update: data });
    return true;
  });
}

export interface JobRun {
  name: string;
  ran: boolean;
  /** what the job reports having done (notices sent …) */
  done?: number;
  error?: string;
}

/** Runs every job that is due and not claimed by another process. Never throws. */
export async function runScheduledJobs(now = new Date(), jobs: Job[] = JOBS): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  for (const job of jobs) {
    try {
      if (!(await claimJob(job, now))) {
        runs.push({ name: job.name, ran: false });
        continue;
      }
      const done = await job.run(now);
      await db.scheduledJob.update({ where: { name: job.name }, data: { lastError: null } });
      runs.push({ name: job.name, ran: true, done });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      console.warn(`scheduled job ${job.name} failed: ${error}`);
      await db.scheduledJob.update({ where: { name: job.name }, data: { lastError: error.slice(0, 2000) } }).catch(() => undefined);
      runs.push({ name: job.name, ran: true, error });
    }
  }
  return runs;
}

let timer: NodeJS.Timeout | null = null;

/**
 * Starts the timer of this server process: a first round shortly after start, then one a minute
 * (each job still runs only as often as its own interval says). Idempotent; the timer never keeps
 * the process alive.
 */
export function startScheduledWork(o: { firstAfterMs?: number; tickMs?: number } = {}): () => void {
  if (timer) return stopScheduledWork;
  const tick = () => {
    void runScheduledJobs().finally(() => {
      if (timer) timer = setTimeout(tick, o.tickMs ?? 60_000).unref();
    });
  };
  // a random offset keeps processes that started together from ticking together
  timer = setTimeout(tick, (o.firstAfterMs ?? 10_000) + Math.random() * 1_000).unref();
  return stopScheduledWork;
}

export function stopScheduledWork() {
  if (timer) clearTimeout(timer);
  timer = null;
}
