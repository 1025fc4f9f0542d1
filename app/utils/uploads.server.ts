import path from "node:path";
import { getEnv } from "./env.server";

/** Uploaded images live next to the database, under data/uploads. */
export function uploadsDir() {
  return path.join(getEnv().dataDir, "uploads");
}

/** Attachments (delivery records' images and PDFs) live apart, under data/uploads/private: /uploads never serves them. */
export const PRIVATE_DIR = "private";
