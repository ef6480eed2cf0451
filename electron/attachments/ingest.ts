// Taking a file in as an attachment: refuse it early (too large, empty, not a scan) with a message that
// names the file, then store it by content. Reading stops at the sniffing bytes until the file is accepted.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { BlobStore, type StoredBlob } from './blob-store.ts';
import { AttachmentError, formatBytes } from './errors.ts';
import { MIME_TYPES, SNIFF_BYTES, sniffKind, type AttachmentKind } from './sniff.ts';

export interface IngestedAttachment {
  name: string;
  kind: AttachmentKind;
  mimeType: string;
  blob: StoredBlob;
}

export async function ingestAttachment(store: BlobStore, file: string, name = basename(file)): Promise<IngestedAttachment> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    throw new AttachmentError('not_found', `${name} cannot be read: ${(err as Error).message}`);
  }
  if (size > store.maxBytes) {
    throw new AttachmentError('too_large', `${name} is ${formatBytes(size)}, over the ${formatBytes(store.maxBytes)} limit for one attachment: split it or scan at a lower resolution`);
  }
  const kind = sniffKind(BlobStore.head(file, SNIFF_BYTES), name);
  const blob = await store.putFile(file, name);
  return { name, kind, mimeType: MIME_TYPES[kind], blob };
}
