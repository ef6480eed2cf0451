// An entity's page: every allegation naming a person, phone, email, address, postcode, vehicle, business or
// flight, and every place in each (a form field, the account, a note, an attachment page), found by the search
// engine itself — the same normalisation of identifiers and the same fuzzy name tiers as the search box — so
// that pivoting on a value finds exactly what searching for it finds. The open text and the index are redacted
// of source details at intake, so nothing restricted can appear here.
import { prepared } from '../store/db.ts';
import type { SearchIndex } from './index.ts';
import { entityLabel, entityQuery, type EntityRef } from '../../shared/entities/entity.ts';
import type { AppearanceView, EntityView } from '../../shared/api/workbench.ts';
import type { SearchHit } from '../../shared/api/search.ts';

/** Allegations listed on one page at most (a common name); the page says when there are more. */
export const ENTITY_PAGE_LIMIT = 500;

const noon = (date: string) => `${date}T12:00:00.000Z`;

export function findEntity(index: SearchIndex, ref: EntityRef, limit = ENTITY_PAGE_LIMIT): Omit<EntityView, 'tookMs'> {
  const q = entityQuery(ref);
  // Words scattered through a record do not name a person or a business: only the name tiers (on the form,
  // written together in the text, corrected or similar spellings) and, for identifiers, the value itself.
  const result = index.search({ q, limit, exhaustive: limit, everyPlace: true, excludeTiers: ['anywhere'] });
  const hits = result.hits.filter((h) => h.tier !== 'partial');
  const added = attachmentDates(index, hits);
  const appearances: AppearanceView[] = hits.map((h) => ({
    allegationId: h.allegationId,
    reference: h.reference,
    receivedAt: h.receivedAt,
    status: h.status,
    unit: h.unit,
    mainSubject: h.mainSubject,
    tier: h.tier,
    why: h.why,
    places: h.matches.map((m) => ({
      ...m,
      at:
        m.place.kind === 'note' && /^\d{4}-\d{2}-\d{2}$/.test(m.place.date)
          ? noon(m.place.date)
          : m.place.kind === 'attachment'
            ? (added.get(m.place.attachmentId) ?? h.receivedAt)
            : h.receivedAt,
    })),
  }));
  // Oldest first: how the entity came into the picture.
  appearances.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.reference.localeCompare(b.reference));
  const counts = { form: 0, notes: 0, attachmentPages: 0, account: 0 };
  let first: { at: string; reference: string } | null = null;
  let last: { at: string; reference: string } | null = null;
  for (const a of appearances) {
    for (const p of a.places) {
      if (p.place.kind === 'note') counts.notes++;
      else if (p.place.kind === 'attachment') counts.attachmentPages++;
      else if (p.place.field === 'Account') counts.account++;
      else counts.form++;
      if (!first || p.at < first.at) first = { at: p.at, reference: a.reference };
      if (!last || p.at > last.at) last = { at: p.at, reference: a.reference };
    }
  }
  return {
    kind: ref.kind,
    value: ref.value,
    label: entityLabel(ref),
    readAs: result.readAs,
    allegations: appearances.length,
    truncated: result.totalIsLowerBound || result.total > hits.length,
    counts,
    firstSeen: first,
    lastSeen: last,
    appearances,
  };
}

/**
 * When each attachment among the hits was added: a page names the entity from then. Text that came with a record
 * from the legacy system counts from the record's receipt.
 */
function attachmentDates(index: SearchIndex, hits: SearchHit[]): Map<string, string> {
  const ids = [...new Set(hits.flatMap((h) => h.matches.flatMap((m) => (m.place.kind === 'attachment' ? [m.place.attachmentId] : []))))];
  const out = new Map<string, string>();
  if (!ids.length) return out;
  const rows = prepared(index.db, "SELECT id, added_at FROM attachments WHERE ocr_status <> 'legacy' AND id IN (SELECT value FROM json_each(?))").all(JSON.stringify(ids)) as Array<{ id: string; added_at: string }>;
  for (const r of rows) out.set(r.id, r.added_at);
  return out;
}
