// What the product reads from letters and faxes it has never seen (issue 17): the replay set of
// tests/fixtures/letters (24 letters and faxes: Group 3 and 4 faxes at standard and fine resolution, scanned
// PDFs from 100 to 300 dpi, skewed and noisy pages), each read through the product's OCR path (decoders,
// preprocessing, the tesseract.js-core worker pool) and the shared analysis (analyseScan: withholding the
// writer, deadlines, identifiers, suggestions), scored against its truth.
//   npm run bench -- letters [--concurrency 2] [--only 01,14] [--misses]
// Prints one JSON line. Targets (issue 17): deadline recall 100% with at most 1 false flag in 20; flights,
// phones, VRMs and postcodes found >= 98%; the writer's name, address and phone withheld in 100% and
// offered for the pane in >= 95%.
import { parseArgs } from 'node:util';
import { OcrPool } from '../electron/attachments/ocr-pool.ts';
import { analyseScan, type ScanAnalysis } from '../shared/analysis/analyse-text.ts';
import { foldName, parseUkPostcode } from '../shared/text/normalise.ts';
import { ensureLetterSet, type LetterFile } from '../tests/fixtures/letters/generate.ts';
import type { LetterTruth } from '../tests/fixtures/letters/compose.ts';
import { cer, mean } from './_text-metrics.ts';

const TARGETS = { deadlineRecall: 1, falseFlagsPer20: 1, identifierRecall: 0.98, writerWithheld: 1, writerOffered: 0.95 };

interface Tally {
  expected: number;
  found: number;
}
interface Scored {
  expected: number;
  found: number;
  suggested: number;
  correct: number;
}
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const ratio = (a: number, b: number) => (b === 0 ? null : r3(a / b));

/** Letters and digits only, lower case: how a detail is looked for in text whatever OCR did to its spacing. */
const squash = (s: string) => foldName(s).replace(/\s+/g, '');
const digits = (s: string) => s.replace(/\D/g, '');

function scoreLetter(truth: LetterTruth, a: ScanAnalysis, misses: string[]) {
  const miss = (what: string) => misses.push(`${truth.id} ${what}`);
  const ids = a.pages.flatMap((p) => p.identifiers);
  const has = (kind: string, value: string) => ids.some((i) => i.kind === kind && i.value === value);
  const identifiers: Record<'flight' | 'phone' | 'vrm' | 'postcode', Tally> = { flight: { expected: 0, found: 0 }, phone: { expected: 0, found: 0 }, vrm: { expected: 0, found: 0 }, postcode: { expected: 0, found: 0 } };
  const expectId = (kind: keyof typeof identifiers, value: string) => {
    identifiers[kind].expected++;
    if (has(kind, value)) identifiers[kind].found++;
    else miss(`${kind} ${value} not found`);
  };
  for (const f of truth.flights) expectId('flight', f.value);
  for (const p of truth.phones) expectId('phone', p);
  for (const v of truth.vrms) expectId('vrm', v);
  for (const p of truth.postcodes) expectId('postcode', parseUkPostcode(p).postcode ?? p);

  // Suggestions per field: what the letter can fill, against what was suggested.
  const s = a.suggestions;
  const fields: Record<string, Scored> = {};
  const score = (field: string, expected: string[], suggested: string[]) => {
    const f = (fields[field] ??= { expected: 0, found: 0, suggested: 0, correct: 0 });
    f.expected += expected.length;
    f.suggested += suggested.length;
    for (const e of expected) {
      if (suggested.includes(e)) f.found++;
      else miss(`suggestion ${field} ${e} missing (got ${suggested.join(', ') || 'none'})`);
    }
    for (const x of suggested) if (expected.includes(x)) f.correct++;
  };
  const values = (kind: string) => s.filter((x) => x.kind === kind).map((x) => x.value);
  score('name', truth.names.map((n) => foldName(n.name)), s.filter((x) => x.kind === 'name').map((x) => foldName(x.value)));
  score('subject role', [foldName(truth.names[0]?.name ?? '')], s.filter((x) => x.kind === 'name' && x.role === 'subject').map((x) => foldName(x.value)));
  score('phone', truth.phones, values('phone'));
  score('vrm', truth.vrms, values('vrm'));
  score('postcode', truth.postcodes.map((p) => parseUkPostcode(p).postcode ?? p), values('postcode'));
  score('address', truth.postcodes.map((p) => parseUkPostcode(p).postcode ?? p), s.filter((x) => x.kind === 'address').map((x) => findPostcode(x.value)));
  score('flight', truth.flights.map((f) => f.value), values('flight'));
  score('flight date', truth.flights.filter((f) => f.date).map((f) => `${f.value}@${f.date}`), s.filter((x) => x.kind === 'flight' && x.date).map((x) => `${x.value}@${x.date}`));
  score('business', truth.businesses.map(foldName), values('business').map(foldName));
  score('offence', truth.offences, values('offence'));

  // Deadlines: the right date flagged on a letter with one; anything flagged on a letter without.
  const flagged = a.deadlines.length > 0;
  const right = truth.deadline ? a.deadlines.some((d) => d.date === truth.deadline?.date) : false;
  if (truth.deadline && !right) miss(`deadline ${truth.deadline.date} not flagged (got ${a.deadlines.map((d) => `${d.date} "${d.sentence}"`).join('; ') || 'none'})`);
  if (!truth.deadline && flagged) miss(`false flag ${a.deadlines.map((d) => `${d.date} "${d.sentence}" (${d.rule})`).join('; ')}`);

  // The writer: withheld from every page's open text, and offered for the pane.
  let writer: { withheld: Record<string, boolean>; offered: Record<string, boolean> } | null = null;
  if (truth.writer) {
    const w = truth.writer;
    const open = a.pages.map((p) => p.open).join('\n');
    const openSquashed = squash(open);
    const openDigits = digits(open);
    const surname = w.name.split(' ').at(-1) ?? w.name;
    const streetName = w.street.replace(/^(?:flat \d+,\s*)?\d+\s+/i, '');
    const withheld = {
      name: !openSquashed.includes(squash(surname)),
      address: !openSquashed.includes(squash(streetName)) && !openSquashed.includes(squash(w.postcode)),
      phone: !openDigits.includes(digits(w.phone).slice(1)),
    };
    const o = a.writer;
    const offered = {
      name: !!o?.name && squash(o.name).includes(squash(surname)),
      address: !!o?.address && squash(o.address).includes(squash(streetName)) && o.postcode === parseUkPostcode(w.postcode).postcode,
      phone: !!o?.phone && o.phone === w.phone,
    };
    for (const [k, v] of Object.entries(withheld)) if (!v) miss(`writer ${k} NOT withheld`);
    for (const [k, v] of Object.entries(offered)) if (!v) miss(`writer ${k} not offered (offered ${JSON.stringify({ name: o?.name, address: o?.address, phone: o?.phone })})`);
    writer = { withheld, offered };
  }
  return { identifiers, fields, deadline: { expected: !!truth.deadline, right, flagged }, writer };
}

function findPostcode(text: string): string {
  const m = /([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\s*$/i.exec(text);
  return m ? (parseUkPostcode(m[1]).postcode ?? '') : '';
}

export async function run(args: string[]) {
  const { values } = parseArgs({ args, options: { concurrency: { type: 'string' }, only: { type: 'string' }, misses: { type: 'boolean' } } });
  const t0 = performance.now();
  let set: LetterFile[] = await ensureLetterSet();
  const generateMs = performance.now() - t0;
  if (values.only) {
    const only = new Set(values.only.split(','));
    set = set.filter((l) => only.has(l.truth.id));
  }
  const pool = new OcrPool({ concurrency: Number(values.concurrency ?? 2) });
  const t1 = performance.now();
  const results = [];
  const misses: string[] = [];
  const cers: number[] = [];
  const confidences: number[] = [];
  const cpuMs: number[] = [];
  let pageCount = 0;
  try {
    // Every letter queued at once: the pool reads pages as workers come free, as the desk does.
    const read = await Promise.all(set.map((l) => pool.ocrAttachment(l.path)));
    for (const [i, ocr] of read.entries()) {
      const { truth } = set[i] as LetterFile;
      if (ocr.status !== 'done') misses.push(`${truth.id} OCR ${ocr.status}: ${ocr.error?.message ?? ocr.pages.find((p) => p.error)?.error?.message}`);
      const pages = ocr.pages.filter((p) => p.status === 'done').map((p) => ({ page: p.page, text: p.text, words: p.words }));
      for (const p of ocr.pages) {
        pageCount++;
        if (p.confidence !== null) confidences.push(p.confidence);
        cpuMs.push(p.cpuMs);
        const reference = truth.pages[p.page - 1];
        if (reference !== undefined) cers.push(cer(p.text, reference));
      }
      const analysis = analyseScan(pages, { receivedAt: truth.receivedAt, form: { subjectCount: 0 } });
      results.push(scoreLetter(truth, analysis, misses));
    }
  } finally {
    await pool.close();
  }
  const readMs = performance.now() - t1;

  const withDeadline = results.filter((r) => r.deadline.expected);
  const without = results.filter((r) => !r.deadline.expected);
  const falseFlags = without.filter((r) => r.deadline.flagged).length;
  const identifiers: Record<string, { expected: number; found: number; recall: number | null }> = {};
  for (const kind of ['flight', 'phone', 'vrm', 'postcode'] as const) {
    const expected = results.reduce((n, r) => n + r.identifiers[kind].expected, 0);
    const found = results.reduce((n, r) => n + r.identifiers[kind].found, 0);
    identifiers[kind] = { expected, found, recall: ratio(found, expected) };
  }
  const suggestions: Record<string, { expected: number; suggested: number; recall: number | null; precision: number | null }> = {};
  for (const field of Object.keys(results[0]?.fields ?? {})) {
    const t = results.reduce((acc, r) => {
      const f = r.fields[field] as Scored;
      return { expected: acc.expected + f.expected, found: acc.found + f.found, suggested: acc.suggested + f.suggested, correct: acc.correct + f.correct };
    }, { expected: 0, found: 0, suggested: 0, correct: 0 });
    suggestions[field] = { expected: t.expected, suggested: t.suggested, recall: ratio(t.found, t.expected), precision: ratio(t.correct, t.suggested) };
  }
  const writers = results.flatMap((r) => (r.writer ? [r.writer] : []));
  const writerRate = (side: 'withheld' | 'offered', k: string) => ratio(writers.filter((w) => w[side][k]).length, writers.length);
  const writer = {
    letters: writers.length,
    withheld: { name: writerRate('withheld', 'name'), address: writerRate('withheld', 'address'), phone: writerRate('withheld', 'phone') },
    offered: { name: writerRate('offered', 'name'), address: writerRate('offered', 'address'), phone: writerRate('offered', 'phone') },
  };
  const sorted = [...cers].sort((a, b) => a - b);
  const cpuSorted = [...cpuMs].sort((a, b) => a - b);
  const deadlineRecall = ratio(withDeadline.filter((r) => r.deadline.right).length, withDeadline.length);
  const idMin = Math.min(...Object.values(identifiers).map((x) => x.recall ?? 1));
  const withheldMin = Math.min(...Object.values(writer.withheld).map((x) => x ?? 1));
  const offeredMin = Math.min(...Object.values(writer.offered).map((x) => x ?? 1));
  return {
    bench: 'letters',
    letters: results.length,
    pages: pageCount,
    deadlines: { withDeadline: withDeadline.length, recall: deadlineRecall, withoutDeadline: without.length, falseFlags },
    identifiers,
    suggestions,
    writer,
    ocr: { medianCer: r3(sorted[Math.floor(sorted.length / 2)] ?? 0), meanCer: r3(mean(cers)), meanConfidence: r3(mean(confidences)), medianCpuMsPerPage: Math.round(cpuSorted[Math.floor(cpuSorted.length / 2)] ?? 0) },
    ms: { generate: Math.round(generateMs), read: Math.round(readMs) },
    targets: TARGETS,
    met: {
      deadlineRecall: (deadlineRecall ?? 0) >= TARGETS.deadlineRecall,
      falseFlags: (falseFlags * 20) / Math.max(1, without.length + withDeadline.length) <= TARGETS.falseFlagsPer20,
      identifiers: idMin >= TARGETS.identifierRecall,
      writerWithheld: withheldMin >= TARGETS.writerWithheld,
      writerOffered: offeredMin >= TARGETS.writerOffered,
    },
    ...(values.misses ? { misses } : { missCount: misses.length }),
  };
}
