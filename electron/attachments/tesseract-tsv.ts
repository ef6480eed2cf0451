// Tesseract's TSV output as words: the same parser for tesseract.js (the pool) and the CLI (the benchmark).
import type { OcrWord } from '../../shared/attachments/page-text.ts';

/**
 * Words from tesseract's TSV (level, page, block, paragraph, line, word, left, top, width, height, conf,
 * text), with boxes scaled back to the page image's own pixels, the frame the viewer and sanitised copies use.
 */
export function wordsFromTsv(tsv: string, k: number): OcrWord[] {
  const words: OcrWord[] = [];
  const lines = new Map<string, number>();
  for (const row of tsv.split('\n')) {
    const c = row.split('\t');
    if (c[0] !== '5' || c.length < 12) continue;
    const [x, y, w, h] = [Number(c[6]), Number(c[7]), Number(c[8]), Number(c[9])];
    const key = `${c[2]}.${c[3]}.${c[4]}`;
    if (!lines.has(key)) lines.set(key, lines.size + 1);
    words.push({
      text: c.slice(11).join('\t'),
      confidence: Math.round(Number(c[10]) * 10) / 10,
      line: lines.get(key),
      bbox: { x0: Math.floor(x * k), y0: Math.floor(y * k), x1: Math.ceil((x + w) * k), y1: Math.ceil((y + h) * k) },
    });
  }
  // A capital I read as a bar ("| also know"): a lone bar before a word in lower case on the same line is prose.
  for (let i = 0; i + 1 < words.length; i++) {
    const w = words[i] as OcrWord;
    const next = words[i + 1] as OcrWord;
    if (w.text === '|' && next.line === w.line && /^[a-z]/.test(next.text)) w.text = 'I';
  }
  return words;
}
