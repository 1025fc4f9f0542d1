/** Image types we accept, recognised by their first bytes (never by the name or the browser's claim). */
export type ImageInfo = { ext: "png" | "jpg" | "gif" | "webp"; mime: string; width?: number; height?: number };

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export function sniffImage(b: Uint8Array): ImageInfo | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    return { ext: "png", mime: "image/png", width: dv.getUint32(16), height: dv.getUint32(20) };
  }
  if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) {
    return { ext: "gif", mime: "image/gif", width: dv.getUint16(6, true), height: dv.getUint16(8, true) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    return { ext: "jpg", mime: "image/jpeg", ...jpegSize(b, dv) };
  }
  if (b.length >= 16 && String.fromCharCode(...b.subarray(0, 4)) === "RIFF" && String.fromCharCode(...b.subarray(8, 12)) === "WEBP") {
    return { ext: "webp", mime: "image/webp" };
  }
  return null;
}

function jpegSize(b: Uint8Array, dv: DataView): { width?: number; height?: number } {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return {};
    const marker = b[i + 1];
    const len = dv.getUint16(i + 2);
    // start-of-frame markers carry the size
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: dv.getUint16(i + 5), width: dv.getUint16(i + 7) };
    }
    i += 2 + len;
  }
  return {};
}

export const MIME_BY_EXT: Record<string, string> = { png: "image/png", jpg: "image/jpeg", gif: "image/gif", webp: "image/webp" };

/** A file attached to a record (a delivery): an image as above, or a PDF — by its first bytes, "%PDF-". */
export type AttachmentInfo = { ext: ImageInfo["ext"] | "pdf"; mime: string; width?: number; height?: number };

export function sniffAttachment(b: Uint8Array): AttachmentInfo | null {
  if (b.length >= 8 && String.fromCharCode(...b.subarray(0, 5)) === "%PDF-") return { ext: "pdf", mime: "application/pdf" };
  return sniffImage(b);
}

export const ATTACHMENT_MIME: Record<string, string> = { ...MIME_BY_EXT, pdf: "application/pdf" };
