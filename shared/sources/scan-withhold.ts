// What of a scanned page may be read openly. Two things reveal the writer: the places that give them away
// whoever they are (signature blocks, "my name is…", fax headers, contact lines: source-in-scan.ts), and the
// allegation's known source wherever the page repeats their name, phone, email or address (redact.ts). Both are
// withheld from the open text (which search, matching and suggestions use) and blacked out in the sanitised
// copy; the page as read is kept restricted.
import { boxesForSpan, type Box, type PlacedWord } from '../attachments/page-text.ts';
import { redactSource, SOURCE_MARKER, type SourceIdentifiers } from './redact.ts';
import { findSourceRegions, type SourceRegion } from './in-scan.ts';
import { writerFromRegions, type WriterOffer } from './writer-block.ts';

export interface Span {
  start: number;
  end: number;
}

export interface WithheldRegion {
  /** 'writer-repeat': the writer's name, phone, email or street where the scan repeats it outside their block. */
  kind: SourceRegion['kind'] | 'known-source' | 'writer-repeat';
  page: number;
  start: number;
  end: number;
  boxes: Box[];
  details: SourceRegion['details'];
}

export interface WithheldPage {
  /** The page text with every region replaced by the marker. */
  open: string;
  regions: WithheldRegion[];
}

/**
 * Where `redacted` (the original with some spans replaced by `marker`) differs from `original`: the spans of the
 * original that were replaced, found by walking both texts.
 */
export function replacedSpans(original: string, redacted: string, marker = SOURCE_MARKER): Span[] {
  const spans: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < original.length && j < redacted.length) {
    if (original[i] === redacted[j] && !redacted.startsWith(marker, j)) {
      i++;
      j++;
      continue;
    }
    if (!redacted.startsWith(marker, j)) {
      // Texts that do not align: treat the rest as replaced rather than guess.
      spans.push({ start: i, end: original.length });
      return spans;
    }
    j += marker.length;
    const nextMarker = redacted.indexOf(marker, j);
    const following = redacted.slice(j, nextMarker < 0 ? redacted.length : nextMarker);
    let end: number;
    if (following === '') end = nextMarker < 0 ? original.length : i + 1;
    else {
      // The replaced span ends where the text after the marker resumes (its first few characters suffice).
      const probe = following.slice(0, 12);
      const at = original.indexOf(probe, i + 1);
      end = at < 0 ? original.length : at;
    }
    spans.push({ start: i, end });
    i = end;
  }
  if (i < original.length && j >= redacted.length) spans.push({ start: i, end: original.length });
  return spans;
}

/** The text with the spans (in any order, overlapping or not) replaced by the marker. */
export function withholdSpans(text: string, spans: readonly Span[], marker = SOURCE_MARKER): string {
  const merged: Span[] = [];
  for (const s of [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  let out = text;
  for (const s of merged.reverse()) out = out.slice(0, s.start) + marker + out.slice(s.end);
  return out;
}

/** One page of a scan, with what reveals its writer found and withheld. */
export function withholdFromPage(page: { page: number; text: string; words?: readonly PlacedWord[] }, known: SourceIdentifiers | null): WithheldPage {
  const regions: WithheldRegion[] = findSourceRegions([page]).map((r) => ({ kind: r.kind, page: r.page, start: r.start, end: r.end, boxes: r.boxes, details: r.details }));
  if (known) {
    const redacted = redactSource(page.text, known);
    if (redacted.count > 0) {
      for (const s of replacedSpans(page.text, redacted.text)) {
        regions.push({ kind: 'known-source', page: page.page, start: s.start, end: s.end, boxes: page.words ? boxesForSpan(page.words, s.start, s.end) : [], details: {} });
      }
    }
  }
  return { open: withholdSpans(page.text, regions), regions };
}

export interface WithheldScan {
  pages: WithheldPage[];
  /** The writer as the scan gives them away (signature, letterhead, fax header...), to offer for the restricted pane. */
  writer: WriterOffer | null;
}

/**
 * Every page of a scan, read together: the writer is found wherever they sign or head the letter (a fax's
 * page 2 often ends with the signature block), offered for the pane, and withheld from the open text of every
 * page — in their block, and wherever a page repeats their name, phone, email or street — as well as the
 * allegation's known source (`known`).
 */
export function withholdFromScan(pages: ReadonlyArray<{ page: number; text: string; words?: readonly PlacedWord[] }>, known: SourceIdentifiers | null): WithheldScan {
  const writer = writerFromRegions(findSourceRegions(pages));
  const repeat: SourceIdentifiers | null = writer ? { name: writer.name ?? null, phone: writer.phone ?? null, email: writer.email ?? null, address: writer.street ?? null } : null;
  const out: WithheldPage[] = [];
  for (const page of pages) {
    const w = withholdFromPage(page, known);
    if (repeat) {
      const redacted = redactSource(page.text, repeat);
      if (redacted.count > 0) {
        for (const s of replacedSpans(page.text, redacted.text)) {
          // A repeat inside a region already withheld (the name in its own signature block) is not another place.
          if (w.regions.some((r) => r.start <= s.start && r.end >= s.end)) continue;
          w.regions.push({ kind: 'writer-repeat', page: page.page, start: s.start, end: s.end, boxes: page.words ? boxesForSpan(page.words, s.start, s.end) : [], details: {} });
        }
        w.open = withholdSpans(page.text, w.regions);
      }
    }
    out.push(w);
  }
  return { pages: out, writer };
}
