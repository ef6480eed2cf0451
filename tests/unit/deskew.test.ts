import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { deskewPage, estimateSkew, MIN_CORRECTED_DEG } from '../../electron/attachments/deskew.ts';

/** A page of "text": rows of word-sized dark bars, as a letter's lines look from a distance. */
function letterPage(width = 1000, height = 1300): Buffer {
  const data = Buffer.alloc(width * height, 255);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let top = 120; top < height - 120; top += 42) {
    let x = 100;
    while (x < width - 160) {
      const w = 30 + Math.floor(rnd() * 90);
      for (let y = top; y < top + 16; y++) for (let i = x; i < Math.min(x + w, width - 100); i++) data[y * width + i] = 20;
      x += w + 14;
    }
  }
  return data;
}

/** The page turned by `deg` degrees (clockwise positive), as a crooked feed gives it. */
async function turned(data: Buffer, width: number, height: number, deg: number) {
  const out = await sharp(data, { raw: { width, height, channels: 1 } }).rotate(deg, { background: '#ffffff' }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data: out.data, width: out.info.width, height: out.info.height, dpi: 300 };
}

describe('levelling a skewed page before OCR', () => {
  it('measures the turn that levels a page fed crooked, either way', async () => {
    const page = letterPage();
    for (const deg of [1.5, -1, 2.5, -3.2]) {
      const skewed = await turned(page, 1000, 1300, deg);
      expect(Math.abs(estimateSkew(skewed.data, skewed.width, skewed.height) + deg)).toBeLessThan(0.15);
    }
  });

  it('leaves a straight page, a blank page and a page of specks alone', () => {
    expect(estimateSkew(letterPage(), 1000, 1300)).toBe(0);
    expect(estimateSkew(Buffer.alloc(500 * 600, 255), 500, 600)).toBe(0);
    // Specks scattered at random (mulberry32: an LCG's low bits would line them up).
    const specks = Buffer.alloc(800 * 1000, 255);
    let seed = 3;
    const random = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    };
    for (let i = 0; i < 4000; i++) specks[Math.floor(random() * specks.length)] = 0;
    expect(Math.abs(estimateSkew(specks, 800, 1000))).toBeLessThan(MIN_CORRECTED_DEG);
  });

  it('does not turn a page skewed by less than is worth resampling', async () => {
    const slight = await turned(letterPage(), 1000, 1300, 0.1);
    const result = await deskewPage(slight);
    expect(result.angle).toBe(0);
    expect(result.raster).toBe(slight);
  });

  it('carries a word box on the levelled page back onto the page as received, covering the word', async () => {
    // One dark "word" on a skewed letter: where it is on the page as received is known.
    const width = 1000;
    const height = 1300;
    const page = letterPage(width, height);
    const skewed = await turned(page, width, height, 2);
    const word = { x0: 600, y0: 900, x1: 700, y1: 920 };
    for (let y = word.y0; y < word.y1; y++) skewed.data.fill(255, y * skewed.width + word.x0 - 20, y * skewed.width + word.x1 + 20);
    for (let y = word.y0; y < word.y1; y++) skewed.data.fill(0, y * skewed.width + word.x0, y * skewed.width + word.x1);
    const level = await deskewPage(skewed);
    expect(level.angle).toBeCloseTo(-2, 0);
    // Find the word on the levelled page (its darkest pixels near where it went), then map its box back.
    let box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    const { data, width: w } = level.raster;
    const rad = (level.angle * Math.PI) / 180;
    const cx = (word.x0 + word.x1) / 2 - skewed.width / 2;
    const cy = (word.y0 + word.y1) / 2 - skewed.height / 2;
    const ex = cx * Math.cos(rad) - cy * Math.sin(rad) + level.raster.width / 2;
    const ey = cx * Math.sin(rad) + cy * Math.cos(rad) + level.raster.height / 2;
    for (let y = Math.round(ey - 15); y <= Math.round(ey + 15); y++) {
      for (let x = Math.round(ex - 60); x <= Math.round(ex + 60); x++) {
        if ((data[y * w + x] as number) < 100) box = { x0: Math.min(box.x0, x), y0: Math.min(box.y0, y), x1: Math.max(box.x1, x + 1), y1: Math.max(box.y1, y + 1) };
      }
    }
    const back = level.toPage(box);
    expect(back.x0).toBeLessThanOrEqual(word.x0 + 2);
    expect(back.y0).toBeLessThanOrEqual(word.y0 + 2);
    expect(back.x1).toBeGreaterThanOrEqual(word.x1 - 2);
    expect(back.y1).toBeGreaterThanOrEqual(word.y1 - 2);
    // ... and not much more than it (a turned box's corners, a few pixels).
    expect(back.x1 - back.x0).toBeLessThan(word.x1 - word.x0 + 15);
    expect(back.y1 - back.y0).toBeLessThan(word.y1 - word.y0 + 10);
    expect(back.x1).toBeLessThanOrEqual(skewed.width);
  });
});
