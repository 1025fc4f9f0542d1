import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Transporter } from "nodemailer";
import { getEnv } from "./env.server";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

let transport: Transporter | null = null;

/** The folder that receives mail when no SMTP server is configured (developers and tests read it). */
export function mailOutboxDir(): string {
  return process.env.MAIL_OUTBOX_DIR ?? path.join(getEnv().dataDir, "mail-outbox");
}

/**
 * Sends a mail through SMTP_URL when it is set (nodemailer); otherwise writes it as an .eml file
 * to the mail outbox folder, so registration and invitations work on a machine with no mail server.
 */
export async function sendMail(mail: Mail): Promise<void> {
  // loaded when the first mail goes out, not at start (memory; docs/performance.md)
  const nodemailer = (await import("nodemailer")).default;
  const from = process.env.MAIL_FROM ?? "劳模工匠创新工作室联盟 <no-reply@studio-alliance.local>";
  if (process.env.SMTP_URL) {
    // an SMTP server that does not answer must not hold a request for nodemailer's default minutes
    transport ??= nodemailer.createTransport({ url: process.env.SMTP_URL, connectionTimeout: 10_000, greetingTimeout: 10_000, dnsTimeout: 10_000, socketTimeout: 30_000 });
    await transport.sendMail({ from, ...mail });
    return;
  }
  const dir = mailOutboxDir();
  mkdirSync(dir, { recursive: true });
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const info = await stream.sendMail({ from, ...mail });
  const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${Math.random().toString(36).slice(2, 8)}.eml`;
  writeFileSync(path.join(dir, name), info.message as Buffer);
}
