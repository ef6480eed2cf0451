// Moving files across the API in pieces: the page cannot hand the core a file path, so a picked or dropped file is
// uploaded in base64 pieces (the same in Electron and the browser host), and a file is read back the same way.
import type { ApiOutput } from '../../../../shared/api.ts';
import { call } from '../../api/client.ts';

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Uploads one file to attach to an allegation; `onProgress` hears the bytes sent so far. */
export async function uploadAttachment(allegationId: string, file: File, onProgress: (sent: number, total: number) => void): Promise<ApiOutput<'attachments.finish'>> {
  const { uploadId, chunkBytes } = await call('attachments.begin', { allegationId, fileName: file.name, size: file.size });
  for (let index = 0, at = 0; at < file.size; index++, at += chunkBytes) {
    const piece = new Uint8Array(await file.slice(at, at + chunkBytes).arrayBuffer());
    await call('attachments.chunk', { uploadId, index, data: toBase64(piece) });
    onProgress(Math.min(at + chunkBytes, file.size), file.size);
  }
  return call('attachments.finish', { uploadId });
}

/** A whole file read back in pieces: the original (for the PDF viewer) or what may be exported. */
export async function readWhole(procedure: 'attachments.content' | 'attachments.export', id: string): Promise<{ bytes: Uint8Array; mimeType: string; fileName: string }> {
  const first = await call(procedure, { id, offset: 0 });
  const bytes = new Uint8Array(first.total);
  bytes.set(fromBase64(first.data), 0);
  let offset = fromBase64(first.data).length;
  while (offset < first.total) {
    const next = await call(procedure, { id, offset });
    const piece = fromBase64(next.data);
    if (piece.length === 0) break;
    bytes.set(piece, offset);
    offset += piece.length;
  }
  return { bytes, mimeType: first.mimeType, fileName: first.fileName };
}

/** Hands the browser (or Electron) a file to save. */
export function saveFile(bytes: Uint8Array, mimeType: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
