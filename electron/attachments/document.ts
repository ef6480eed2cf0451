// Opens any supported attachment as a document of pages, by the kind its bytes say it is.
import { openImage } from './decode-image.ts';
import { openPdf } from './decode-pdf.ts';
import { openTiff } from './decode-tiff.ts';
import { sniffKind } from './sniff.ts';
import { DEFAULT_DECODE_LIMITS, type DecodedDocument, type DecodeLimits } from './page-types.ts';

export async function openDocument(bytes: Buffer, limits: DecodeLimits = DEFAULT_DECODE_LIMITS, name = 'The file'): Promise<DecodedDocument> {
  const kind = sniffKind(bytes.subarray(0, 1024), name);
  switch (kind) {
    case 'pdf':
      return openPdf(bytes, limits);
    case 'tiff':
      return openTiff(bytes, limits);
    case 'jpeg':
    case 'png':
      return openImage(bytes, kind, limits);
  }
}
