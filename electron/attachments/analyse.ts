// What an attachment's text offers the analyst once it is read: the places that reveal the source (for the
// restricted pane and the sanitised copy) and suggested form fields, leaving the source's own details out.
import { findSourceRegions, type SourceRegion } from '../../shared/sources/in-scan.ts';
import { suggestFields, type SuggestedField } from '../../shared/attachments/suggest-fields.ts';
import type { AttachmentOcr } from './ocr-pool.ts';

export interface AttachmentAnalysis {
  sourceRegions: SourceRegion[];
  suggestions: SuggestedField[];
}

export function analyseAttachment(ocr: Pick<AttachmentOcr, 'pages'>): AttachmentAnalysis {
  const pages = ocr.pages.filter((p) => p.status === 'done').map((p) => ({ page: p.page, text: p.text, words: p.words }));
  const sourceRegions = findSourceRegions(pages);
  return { sourceRegions, suggestions: suggestFields(pages, sourceRegions) };
}
