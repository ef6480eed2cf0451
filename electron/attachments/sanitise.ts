// The sanitised copy of a scan: every page as a PNG, with the regions that reveal the source blacked out.
// The original blob is only read; the copy is what may be shown and shared outside the restricted pane.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Box } from '../../shared/attachments/page-text.ts';
import type { OcrPool } from './ocr-pool.ts';

export interface SanitisedPage {
  page: number;
  file: string;
  width: number;
  height: number;
  /** How many boxes were blacked out on this page. */
  boxes: number;
}

/** Writes outDir/page-N.png for pages 1..pageCount, blacking out each page's regions. */
export async function sanitiseAttachment(pool: OcrPool, file: string, pageCount: number, regions: ReadonlyArray<{ page: number; boxes: Box[] }>, outDir: string): Promise<SanitisedPage[]> {
  mkdirSync(outDir, { recursive: true });
  const pages = Array.from({ length: pageCount }, (_, i) => i + 1);
  return Promise.all(
    pages.map(async (page) => {
      const boxes = regions.filter((r) => r.page === page).flatMap((r) => r.boxes);
      const out = join(outDir, `page-${page}.png`);
      const r = await pool.sanitisePage(file, page, boxes, out);
      return { page, file: out, width: r.width, height: r.height, boxes: r.boxes };
    }),
  );
}
