import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { MAIL_DIR } from "../../playwright.config";
import { expect } from "./fixtures";

// Reading the mail the app sent during a browser test.

/** Decodes one MIME entity (headers + body) to text: quoted-printable, base64, multipart. */
export function decodeMime(raw: string): { headers: string; text: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const headers = (at < 0 ? raw : raw.slice(0, at)).replace(/\r?\n[ \t]+/g, " ");
  const body = at < 0 ? "" : raw.slice(at).replace(/^\r?\n\r?\n/, "");
  const header = (name: string) => headers.match(new RegExp(`^${name}:[ \\t]*(.*)$`, "im"))?.[1].trim() ?? "";
  const type = header("Content-Type");
  const boundary = type.match(/boundary="?([^";]+)"?/i)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body
      .split(`--${boundary}`)
      .slice(1)
      .filter((p) => !p.startsWith("--"));
    return { headers, text: parts.map((p) => decodeMime(p.replace(/^\r?\n/, "")).text).join("\n") };
  }
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  let bytes: Buffer;
  if (encoding === "base64") bytes = Buffer.from(body.replace(/\s+/g, ""), "base64");
  else if (encoding === "quoted-printable") {
    const unwrapped = body.replace(/=\r?\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    bytes = Buffer.from(unwrapped, "latin1");
  } else bytes = Buffer.from(body, "latin1");
  return { headers, text: bytes.toString("utf8") };
}

/** The newest mail in MAIL_DIR sent to `to`, decoded; waits for it to arrive. */
export async function newestMailTo(to: string): Promise<string> {
  let found = "";
  await expect
    .poll(
      () => {
        let names: string[] = [];
        try {
          names = readdirSync(MAIL_DIR)
            .filter((n) => n.endsWith(".eml"))
            .sort()
            .reverse();
        } catch {
          return "";
        }
        for (const name of names) {
          // read as bytes-in-a-string so 8bit bodies survive until decoded
          const mail = decodeMime(readFileSync(path.join(MAIL_DIR, name), "latin1"));
          if (new RegExp(`^To:.*${to.replace(/[.+]/g, "\\$&")}`, "im").test(mail.headers)) return (found = mail.text);
        }
        return "";
      },
      { message: `a mail to ${to} in ${MAIL_DIR}` },
    )
    .not.toBe("");
  return found;
}
