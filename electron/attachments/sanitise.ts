// The sanitised copy of a scan: every page as a PNG, with the regions that reveal the source blacked out.
// The original is only read; the copy is what may be shown and shared outside the restricted pane. Pages are
// made in memory (the workers return them) and stored sealed by the caller: no page is written out plain.
import type { Box } from '../../shared/attachments/page-text.ts';
import type { OcrPool, PageSource } from './ocr-pool.ts';

export interface SanitisedPage {
  page: number;
  png: Uint8Array;
  width: number;
  height: number;
  /** How many boxes were blacked out on this page. */
  boxes: number;
}

/** Pages 1..pageCount as PNG, each page's regions blacked out. */
export async function sanitiseAttachment(pool: OcrPool, source: PageSource, pageCount: number, regions: ReadonlyArray<{ page: number; boxes: Box[] }>): Promise<SanitisedPage[]> {
  const pages = Array.from({ length: pageCount }, (_, i) => i + 1);
  return Promise.all(
    pages.map(async (page) => {
      const boxes = regions.filter((r) => r.page === page).flatMap((r) => r.boxes);
      const r = await pool.sanitisePage(source, page, boxes);
      return { page, png: r.png, width: r.width, height: r.height, boxes: r.boxes };
    }),
  );
}
