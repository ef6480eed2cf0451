// Search results as CSV for a spreadsheet: one row per allegation, with where it matched and the snippet as
// plain text. Cells that a spreadsheet would run as a formula (=, +, -, @ first) are prefixed with an
// apostrophe; everything is quoted; lines end CRLF (RFC 4180).
import type { SearchHit } from '../../shared/api/search.ts';
import type { QueueRow } from '../../shared/schemas/record.ts';
import { MATCH_TIER_LABELS } from '../../shared/api/search.ts';
import { CHANNEL_LABELS, OFFENCE_TYPE_LABELS, STATUS_LABELS } from '../../shared/domain/vocabularies.ts';
import { unitName } from '../../shared/domain/units.ts';

export const CSV_COLUMNS = ['Rank', 'Reference', 'Received', 'Status', 'Channel', 'Offences', 'Unit', 'Main subject', 'Postcode', 'Match', 'Matched in', 'Snippet', 'Link'] as const;

export function csvCell(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

function where(h: SearchHit['matches'][number]['place']): string {
  if (h.kind === 'form') return h.field;
  if (h.kind === 'note') return `Note ${h.date} (${h.author})`;
  return `${h.fileName}${h.page !== null ? ` page ${h.page}` : ''}`;
}

export function hitsToCsv(hits: readonly SearchHit[]): string {
  const lines = [CSV_COLUMNS.map(csvCell).join(',')];
  for (const h of hits) {
    const first = h.matches[0];
    lines.push(
      [
        h.score,
        h.reference,
        h.receivedAt.slice(0, 10),
        STATUS_LABELS[h.status],
        CHANNEL_LABELS[h.channel],
        h.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join('; '),
        unitName(h.unit),
        h.mainSubject,
        h.postcode,
        [MATCH_TIER_LABELS[h.tier], ...h.why].join('; '),
        h.matches.map((m) => where(m.place)).join('; '),
        first ? first.snippet.replace(/[\u0002\u0003]/g, '') : '',
        first?.link ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export const ROW_COLUMNS = ['Reference', 'Received', 'Status', 'Channel', 'Offences', 'Unit', 'Main subject', 'Postcode', 'Due', 'Time-critical', 'Link'] as const;

/** Allegations chosen from a queue or a search, one row each. */
export function queueRowsToCsv(rows: readonly QueueRow[]): string {
  const lines = [ROW_COLUMNS.map(csvCell).join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.reference,
        r.receivedAt.slice(0, 10),
        STATUS_LABELS[r.status],
        CHANNEL_LABELS[r.channel],
        r.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join('; '),
        unitName(r.unit),
        r.mainSubject,
        r.postcode,
        r.dueAt ?? '',
        r.timeCritical ? (r.timeCriticalState === 'confirmed' ? 'confirmed' : 'unconfirmed') : '',
        `#/allegation/${encodeURIComponent(r.reference)}`,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
