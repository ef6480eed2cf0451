// OCR accuracy and throughput on real scans, ours against Debian's tesseract CLI.
//   npm run bench -- ocr [--dir DIR] [--limit N] [--fax FILE] [--concurrency 2] [--cli-model same|debian] [--no-cli] [--dump FILE]
// DIR holds images/ and gt_text/ (default ../shared/data/ocr/funsd-training). Prints one JSON line.
//
// Both sides get the same preprocessing (our decoders and choosePreprocessing: 2x Lanczos upscale of
// low-resolution pages, PSM 11, the resolution set), the same engine parameters, the same model (the npm
// package's best_int, unless --cli-model debian), the same parallelism (2 at once; the CLI with
// OMP_THREAD_LIMIT=1), and their words are put in reading order, noise left out, the same way. Each side's time runs from
// the original file to the page's text, preprocessing included. Pages run in interleaved batches (ours,
// then the CLI's, on the same pages) so that a busy neighbour on the machine slows both alike; cpuRatio
// compares CPU time per page, which such a neighbour disturbs less.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import sharp from 'sharp';
import { OcrPool } from '../electron/attachments/ocr-pool.ts';
import { openDocument } from '../electron/attachments/document.ts';
import { choosePreprocessing, prepareForOcr } from '../electron/attachments/preprocess.ts';
import { defaultLangPath } from '../electron/attachments/tesseract-data.ts';
import { coreBuild } from '../electron/attachments/tesseract-engine.ts';
import { assemblePageText, isLikelyNoise } from '../shared/attachments/page-text.ts';
import { wordsFromTsv } from '../electron/attachments/tesseract-tsv.ts';
import { cer, mean, wer, werRawTokens } from './_text-metrics.ts';

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'ocr');
const DEFAULT_DIR = join(DATA, 'funsd-training');
const DEFAULT_FAX = join(DATA, 'fax-fine-g4-3pages.tif');
// Small batches, alternating, so that load from elsewhere on the machine falls on both sides alike.
const BATCH = 10;
const TARGETS = { cer: 0.16, wer: 0.27, throughputRatio: 0.9 };

interface Page {
  file: string;
  page: number; // 1-based
  reference: string;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

async function cliAvailable(): Promise<string | null> {
  try {
    const { stdout, stderr } = await promisify(execFile)('tesseract', ['--version']);
    return (stdout || stderr).split('\n')[0]?.trim() ?? 'tesseract';
  } catch {
    return null;
  }
}

/** One page through the CLI: our decoding and preprocessing, then `tesseract` with the same settings. */
async function cliPage(p: Page, tessdata: string, work: string): Promise<{ text: string; cpuMs: number }> {
  const doc = await openDocument(readFileSync(p.file));
  const page = await doc.page(p.page - 1);
  await doc.close();
  if (page.kind !== 'raster') return { text: page.layer.text, cpuMs: 0 };
  const pre = choosePreprocessing(page.raster);
  // The very bytes our engine is given (an uncompressed BMP), so that neither side decodes more than the other.
  const image = join(work, `${basename(p.file)}-${p.page}.bmp`);
  writeFileSync(image, await prepareForOcr(page.raster, pre));
  const args = [image, '-', '--tessdata-dir', tessdata, '-l', 'eng', '--oem', '1', '--psm', pre.psm, '--dpi', String(pre.ocrDpi), '-c', 'tessedit_create_tsv=1', '-c', 'tessedit_create_txt=0'];
  // `times` reports the CPU time of the shell's children: the CLI's own, start-up included.
  const child = spawn('sh', ['-c', 'tesseract "$@" 2>/dev/null; s=$?; times >&2; exit $s', 'sh', ...args], { env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  rmSync(image, { force: true });
  if (code !== 0) throw new Error(`tesseract exited ${code} on ${p.file} page ${p.page}`);
  const words = wordsFromTsv(out, 1 / pre.scale);
  const times = err.trim().split('\n').pop() ?? '';
  const secs = [...times.matchAll(/(\d+)m([\d.]+)s/g)].reduce((s, m) => s + Number(m[1]) * 60 + Number(m[2]), 0);
  return { text: assemblePageText(words.filter((w) => !isLikelyNoise(w))).text, cpuMs: Math.round(secs * 1000) };
}

function cpuSince(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

async function runLanes<T>(items: T[], lanes: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  }));
}

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: 'string' },
      limit: { type: 'string' },
      fax: { type: 'string' },
      concurrency: { type: 'string' },
      'cli-model': { type: 'string' },
      'no-cli': { type: 'boolean' },
      dump: { type: 'string' },
    },
  });
  const dir = values.dir ?? DEFAULT_DIR;
  const faxFile = values.fax ?? DEFAULT_FAX;
  const concurrency = Number(values.concurrency ?? 2);
  const cliModel = values['cli-model'] ?? 'same';
  sharp.concurrency(1);

  const images = readdirSync(join(dir, 'images')).filter((f) => /\.(png|jpe?g|tiff?)$/i.test(f)).sort();
  const pages: Page[] = images.slice(0, values.limit ? Number(values.limit) : undefined).map((f) => ({
    file: join(dir, 'images', f),
    page: 1,
    reference: readFileSync(join(dir, 'gt_text', f.replace(/\.[^.]+$/, '.txt')), 'utf8'),
  }));
  // The fax holds FUNSD pages named in its .pages.txt, one id a line.
  const faxIds = existsSync(faxFile.replace(/\.tiff?$/, '.pages.txt')) ? readFileSync(faxFile.replace(/\.tiff?$/, '.pages.txt'), 'utf8').split(/\s+/).filter(Boolean) : [];
  const faxPages: Page[] = faxIds.map((id, i) => ({ file: faxFile, page: i + 1, reference: readFileSync(join(DEFAULT_DIR, 'gt_text', `${id}.txt`), 'utf8') }));

  const cliVersion = values['no-cli'] ? null : await cliAvailable();
  const work = mkdtempSync(join(tmpdir(), 'ims-bench-ocr-'));
  let tessdata = '/usr/share/tesseract-ocr/5/tessdata';
  if (cliModel === 'same') {
    tessdata = join(work, 'tessdata');
    mkdirSync(tessdata);
    writeFileSync(join(tessdata, 'eng.traineddata'), gunzipSync(readFileSync(join(defaultLangPath(), 'eng.traineddata.gz'))));
  }

  const pool = new OcrPool({ concurrency });
  await pool.probe(pages[0]?.file ?? faxFile); // workers up and the model loaded before the clock starts
  const ours = { texts: new Map<Page, string>(), words: new Map<Page, unknown>(), seconds: 0, cpuMs: 0, failed: 0 };
  const cli = { texts: new Map<Page, string>(), seconds: 0, cpuMs: 0 };
  try {
    for (let i = 0; i < pages.length; i += BATCH) {
      const batch = pages.slice(i, i + BATCH);
      let t0 = performance.now();
      let c0 = process.cpuUsage();
      await Promise.all(batch.map(async (p) => {
        const r = await pool.ocrPage(p.file, p.page);
        if (r.status !== 'done') ours.failed++;
        ours.texts.set(p, r.text);
        if (values.dump) ours.words.set(p, r.words);
        ours.cpuMs += r.cpuMs;
      }));
      ours.seconds += (performance.now() - t0) / 1000;
      ours.cpuMs += cpuSince(c0); // the pool's own side: dispatch and messages
      if (cliVersion) {
        t0 = performance.now();
        c0 = process.cpuUsage();
        await runLanes(batch, concurrency, async (p) => {
          const r = await cliPage(p, tessdata, work);
          cli.texts.set(p, r.text);
          cli.cpuMs += r.cpuMs;
        });
        cli.seconds += (performance.now() - t0) / 1000;
        cli.cpuMs += cpuSince(c0); // the CLI's decoding and preprocessing, done here
      }
    }
    if (values.dump) writeFileSync(values.dump, JSON.stringify(pages.map((p) => ({ file: p.file, ours: ours.texts.get(p), oursWords: ours.words.get(p), cli: cli.texts.get(p) ?? null, reference: p.reference }))));
    const faxOurs = await Promise.all(faxPages.map(async (p) => cer((await pool.ocrPage(p.file, p.page)).text, p.reference)));
    const faxCli = cliVersion ? await Promise.all(faxPages.map(async (p) => cer((await cliPage(p, tessdata, work)).text, p.reference))) : [];

    const score = (texts: Map<Page, string>) => ({
      cer: round(mean(pages.map((p) => cer(texts.get(p) ?? '', p.reference)))),
      wer: round(mean(pages.map((p) => wer(texts.get(p) ?? '', p.reference)))),
      werRawTokens: round(mean(pages.map((p) => werRawTokens(texts.get(p) ?? '', p.reference)))),
    });
    const oursScore = score(ours.texts);
    const oursRate = pages.length / ours.seconds;
    const cliRate = cliVersion ? pages.length / cli.seconds : null;
    const faxOursCer = round(mean(faxOurs));
    const faxCliCer = cliVersion ? round(mean(faxCli)) : null;
    return {
      bench: 'ocr',
      dir,
      pages: pages.length,
      concurrency,
      ours: { engine: `tesseract.js-core 7 (${coreBuild()}), @tesseract.js-data/eng best_int`, pagesPerSecond: round(oursRate, 3), cpuSecondsPerPage: round(ours.cpuMs / 1000 / pages.length, 3), failedPages: ours.failed, ...oursScore },
      cli: cliVersion
        ? { engine: cliVersion, model: cliModel === 'same' ? 'the npm package best_int model (same as ours)' : "Debian's tesseract-ocr-eng", pagesPerSecond: round(cliRate ?? 0, 3), cpuSecondsPerPage: round(cli.cpuMs / 1000 / pages.length, 3), ...score(cli.texts) }
        : { available: false, note: values['no-cli'] ? 'skipped (--no-cli)' : 'Debian tesseract CLI not found (apt-get install -y tesseract-ocr): no comparison made' },
      throughputRatio: cliRate ? round(oursRate / cliRate, 3) : null,
      // CPU seconds per page, preprocessing included on both sides: steadier than wall time on a busy machine.
      cpuRatio: cliVersion ? round(cli.cpuMs / ours.cpuMs, 3) : null,
      fax: { file: faxFile, pages: faxPages.length, oursCer: faxOursCer, cliCer: faxCliCer },
      targets: {
        cer: { target: TARGETS.cer, met: oursScore.cer <= TARGETS.cer },
        wer: { target: TARGETS.wer, met: oursScore.wer <= TARGETS.wer },
        faxNoWorseThanCli: faxCliCer === null ? null : faxOursCer <= faxCliCer,
        throughputRatio: { target: TARGETS.throughputRatio, met: cliRate ? oursRate / cliRate >= TARGETS.throughputRatio : null },
      },
      poolRestarts: pool.stats().restarts,
    };
  } finally {
    await pool.close();
    rmSync(work, { recursive: true, force: true });
  }
}
