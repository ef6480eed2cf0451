// One pipeline for every text an allegation gains — the account, a note, legacy attachment text, and each page
// of a scan as OCR finishes it (and again when a page is re-read): what reveals the writer is withheld and
// offered for the restricted pane, and the open text is read for deadlines (time-critical triage), identifiers
// (search and matching) and suggested form fields. The core calls this and stores what it returns; nothing
// here touches a store.
import { detectDeadlines, type DetectedDeadline } from '../domain/deadlines.ts';
import { findIdentifiers, type FoundIdentifier } from '../text/identifiers.ts';
import { suggestFields, type SuggestedField } from '../attachments/suggest-fields.ts';
import type { PlacedWord } from '../attachments/page-text.ts';
import type { SourceIdentifiers } from '../sources/redact.ts';
import { replacedSpans, withholdFromScan, withholdSpans, type WithheldRegion } from '../sources/scan-withhold.ts';
import { redactSource } from '../sources/redact.ts';
import { boxesForSpan } from '../attachments/page-text.ts';
import type { WriterOffer } from '../sources/writer-block.ts';

export interface PageToAnalyse {
  /** 1-based page of a scan; null for the account, a note or other text without pages. */
  page: number | null;
  text: string;
  /** OCR words with their boxes, when the text was read from an image (for boxes on the page). */
  words?: readonly PlacedWord[];
}

export interface AnalysisContext {
  /** When the allegation was received: "on Friday" is read relative to it. */
  receivedAt: Date | string;
  /** The allegation's source as the restricted pane holds it, so that the text's mentions of them are withheld. */
  knownSource?: SourceIdentifiers | null;
  /** What the form already holds: with no subject, the first person named is suggested as the subject. */
  form?: { subjectCount: number } | null;
  /** Whether the text can reveal a writer (a letter, fax or email does; the form's own account does not need reading for a signature). Default true. */
  readWriter?: boolean;
  /**
   * Whether to suggest form fields (default true). Intake leaves it off for the account, notes and legacy text:
   * their suggestions are read when someone looks (allegation-texts.ts), so a bulk import does not pay for them.
   */
  suggest?: boolean;
}

export interface PageAnalysis {
  page: number | null;
  /** The text with what reveals the source withheld: what may be indexed, matched and shown openly. */
  open: string;
  withheld: WithheldRegion[];
  /** Identifiers in the open text, canonical (for search and matching). */
  identifiers: FoundIdentifier[];
}

export interface DeadlineFound extends DetectedDeadline {
  /** The page the sentence is on (null for text without pages); `index` is an offset into that page's open text. */
  page: number | null;
}

export interface ScanAnalysis {
  pages: PageAnalysis[];
  /** Imminent events, earliest first, each with its sentence, the rule that fired and the page. */
  deadlines: DeadlineFound[];
  /** Suggested form fields, each with its page, span and the words it came from (the source's own details left out). */
  suggestions: SuggestedField[];
  /** The writer's name, address, phone, email and organisation as the text gives them, to offer for the pane. */
  writer: WriterOffer | null;
}

/** Reads the pages of one text (a scan, or a single text as one page) through every rule. */
export function analyseScan(pages: readonly PageToAnalyse[], context: AnalysisContext): ScanAnalysis {
  const receivedAt = typeof context.receivedAt === 'string' ? new Date(context.receivedAt) : context.receivedAt;
  // withholdFromScan works on numbered pages; text without pages is page 1 of itself.
  const numbered = pages.map((p, i) => ({ page: p.page ?? i + 1, text: p.text, ...(p.words ? { words: p.words } : {}) }));
  const readWriter = context.readWriter !== false;
  const known = context.knownSource ?? null;
  // Text that cannot reveal a writer (the form's own account) has only the known source withheld.
  const scan = readWriter ? withholdFromScan(numbered, known) : { pages: numbered.map((p) => withholdKnown(p, known)), writer: null };
  const perPage = scan.pages;
  const out: ScanAnalysis = { pages: [], deadlines: [], suggestions: [], writer: scan.writer };
  perPage.forEach((w, i) => {
    const page = pages[i]?.page ?? null;
    out.pages.push({ page, open: w.open, withheld: w.regions, identifiers: findIdentifiers(w.open) });
    for (const d of detectDeadlines(w.open, receivedAt)) out.deadlines.push({ ...d, page });
  });
  out.deadlines.sort((a, b) => a.date.localeCompare(b.date) || (a.page ?? 0) - (b.page ?? 0) || a.index - b.index);
  if (context.suggest === false) return out;
  const exclude = perPage.flatMap((w) => w.regions.map((r) => ({ page: r.page, start: r.start, end: r.end })));
  out.suggestions = suggestFields(numbered, exclude, { receivedAt, subjectCount: context.form?.subjectCount ?? 1 }).map((s) => ({ ...s, page: pages[s.page - 1]?.page ?? s.page }));
  return out;
}

/** The page with only the known source withheld (no reading for a writer). */
function withholdKnown(page: { page: number; text: string; words?: readonly PlacedWord[] }, known: SourceIdentifiers | null): { open: string; regions: WithheldRegion[] } {
  if (!known) return { open: page.text, regions: [] };
  const redacted = redactSource(page.text, known);
  if (redacted.count === 0) return { open: page.text, regions: [] };
  const regions: WithheldRegion[] = replacedSpans(page.text, redacted.text).map((s) => ({
    kind: 'known-source',
    page: page.page,
    start: s.start,
    end: s.end,
    boxes: page.words ? boxesForSpan(page.words, s.start, s.end) : [],
    details: {},
  }));
  return { open: withholdSpans(page.text, regions), regions };
}

/** One text (the account, a note, one page as it is read): `analyseScan` of a single page. */
export function analyseText(input: PageToAnalyse & AnalysisContext): ScanAnalysis {
  const { page, text, words, ...context } = input;
  return analyseScan([{ page, text, ...(words ? { words } : {}) }], context);
}
