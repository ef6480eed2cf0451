// The search index over everything the record holds: form fields, the account, notes and attachment text,
// one FTS5 document per place so a hit can say where it matched. Identifiers are indexed in canonical form
// beside the text as written, so "07700 900123" and "+44 7700 900123" find each other.
import { prepared, type Db, type Stmt } from '../store/db.ts';
import { findIdentifiers } from '../../shared/identifiers.ts';
import { OFFENCE_TYPE_LABELS, CHANNEL_LABELS, type OffenceType, type Channel } from '../../shared/domain.ts';
import { toFtsMatch, QuerySyntaxError } from '../../shared/search-query.ts';
import type { SearchHit } from '../../shared/api.ts';

/** Canonical forms of the identifiers in a text, as extra tokens: national phone digits, compact postcodes... */
export function identifierTokens(text: string): string {
  const tokens = new Set<string>();
  for (const id of findIdentifiers(text)) {
    if (id.kind === 'postcode') {
      tokens.add(id.value.replace(' ', ''));
    } else if (id.kind === 'email') {
      continue;
    } else {
      tokens.add(id.value);
    }
  }
  return [...tokens].join(' ');
}

interface DocInput {
  place: 'form' | 'note' | 'attachment';
  partId: string | null;
  page: number | null;
  label: string;
  body: string;
  keys: string;
}

function formDocument(db: Db, id: string): { body: string; keys: string } {
  const a = prepared(db, 'SELECT reference, channel, free_text FROM allegations WHERE id = ?').get(id) as { reference: string; channel: Channel; free_text: string };
  const parts: string[] = [a.reference, CHANNEL_LABELS[a.channel]];
  const keys: string[] = [];
  for (const o of prepared(db, 'SELECT offence_type FROM allegation_offences WHERE allegation_id = ?').all(id) as Array<{ offence_type: OffenceType }>) {
    parts.push(OFFENCE_TYPE_LABELS[o.offence_type] ?? o.offence_type);
  }
  for (const s of prepared(db, 'SELECT forename, middle_names, surname, known_as, aliases, dob, nationality FROM subjects WHERE allegation_id = ?').all(id) as Array<Record<string, string>>) {
    parts.push([s.forename, s.middle_names, s.surname, s.known_as, ...(JSON.parse(s.aliases ?? '[]') as string[]), s.dob, s.nationality].filter(Boolean).join(' '));
  }
  for (const d of prepared(db, 'SELECT line1, line2, town, postcode_raw, postcode, postcode_outward FROM addresses WHERE allegation_id = ?').all(id) as Array<Record<string, string | null>>) {
    parts.push([d.line1, d.line2, d.town, d.postcode_raw].filter(Boolean).join(', '));
    keys.push([d.postcode?.replace(' ', ''), d.postcode_outward].filter(Boolean).join(' '));
  }
  for (const b of prepared(db, 'SELECT name, type FROM businesses WHERE allegation_id = ?').all(id) as Array<Record<string, string>>) parts.push(`${b.name} ${b.type}`);
  for (const p of prepared(db, 'SELECT number_raw, national FROM phones WHERE allegation_id = ?').all(id) as Array<Record<string, string>>) {
    parts.push(p.number_raw ?? '');
    keys.push(p.national ?? '');
  }
  for (const e of prepared(db, 'SELECT email_raw FROM emails WHERE allegation_id = ?').all(id) as Array<Record<string, string>>) parts.push(e.email_raw ?? '');
  for (const v of prepared(db, 'SELECT vrm_raw, vrm FROM vehicles WHERE allegation_id = ?').all(id) as Array<Record<string, string>>) {
    parts.push(v.vrm_raw ?? '');
    keys.push(v.vrm ?? '');
  }
  for (const t of prepared(db, 'SELECT flight_raw, flight_number, origin, destination FROM travel WHERE allegation_id = ?').all(id) as Array<Record<string, string | null>>) {
    parts.push([t.flight_raw, t.origin, t.destination].filter(Boolean).join(' '));
    keys.push(t.flight_number ?? '');
  }
  parts.push(a.free_text);
  keys.push(identifierTokens(a.free_text));
  return { body: parts.filter(Boolean).join('\n'), keys: keys.filter(Boolean).join(' ') };
}

export class SearchIndex {
  private readonly db: Db;
  private readonly insertDoc: Stmt;
  private readonly insertFts: Stmt;

  constructor(db: Db) {
    this.db = db;
    this.insertDoc = prepared(db, 'INSERT INTO search_docs (allegation_id, place, part_id, page, label) VALUES (?, ?, ?, ?, ?)');
    this.insertFts = prepared(db, 'INSERT INTO search_fts (rowid, body, keys) VALUES (?, ?, ?)');
  }

  /** Re-indexes one allegation. Call inside the mutation that changed it, so the index is never stale. */
  indexAllegation(id: string): void {
    const old = prepared(this.db, 'SELECT doc_id FROM search_docs WHERE allegation_id = ?').all(id) as Array<{ doc_id: number }>;
    if (old.length) {
      const delFts = prepared(this.db, 'DELETE FROM search_fts WHERE rowid = ?');
      for (const o of old) delFts.run(o.doc_id);
      prepared(this.db, 'DELETE FROM search_docs WHERE allegation_id = ?').run(id);
    }
    const docs: DocInput[] = [{ place: 'form', partId: null, page: null, label: 'Form', ...formDocument(this.db, id) }];
    for (const n of prepared(this.db, 'SELECT id, note_date, author_name, text FROM notes WHERE allegation_id = ?').all(id) as Array<Record<string, string>>) {
      docs.push({ place: 'note', partId: n.id ?? null, page: null, label: `Note ${n.note_date} (${n.author_name})`, body: n.text ?? '', keys: identifierTokens(n.text ?? '') });
    }
    for (const t of prepared(this.db, 'SELECT id, file_name, legacy_text FROM attachments WHERE allegation_id = ?').all(id) as Array<Record<string, string>>) {
      if (t.legacy_text) docs.push({ place: 'attachment', partId: t.id ?? null, page: null, label: t.file_name ?? '', body: t.legacy_text, keys: identifierTokens(t.legacy_text) });
      for (const p of prepared(this.db, "SELECT page_no, text FROM attachment_pages WHERE attachment_id = ? AND text <> '' ORDER BY page_no").all(t.id) as Array<{ page_no: number; text: string }>) {
        docs.push({ place: 'attachment', partId: t.id ?? null, page: p.page_no, label: `${t.file_name}, page ${p.page_no}`, body: p.text, keys: identifierTokens(p.text) });
      }
    }
    for (const d of docs) {
      const info = this.insertDoc.run(id, d.place, d.partId, d.page, d.label);
      this.insertFts.run(info.lastInsertRowid, d.body, d.keys);
    }
  }

  search(q: string, limit: number): { total: number; hits: SearchHit[] } {
    const match = toFtsMatch(q);
    const sql = `
      SELECT d.allegation_id, d.place, d.part_id, d.page, d.label,
             snippet(search_fts, 0, char(2), char(3), '…', 14) AS snip, bm25(search_fts) AS score
      FROM search_fts JOIN search_docs d ON d.doc_id = search_fts.rowid
      WHERE search_fts MATCH ? ORDER BY score LIMIT ?`;
    let rows: Array<{ allegation_id: string; place: 'form' | 'note' | 'attachment'; part_id: string | null; page: number | null; label: string; snip: string; score: number }>;
    try {
      rows = prepared(this.db, sql).all(match, Math.max(limit * 8, 200)) as typeof rows;
    } catch (error) {
      throw new QuerySyntaxError(`The search could not be run: ${(error as Error).message}`);
    }
    const byAllegation = new Map<string, typeof rows>();
    for (const r of rows) {
      const list = byAllegation.get(r.allegation_id) ?? [];
      list.push(r);
      byAllegation.set(r.allegation_id, list);
    }
    const total = (prepared(this.db, 'SELECT count(DISTINCT d.allegation_id) AS n FROM search_fts JOIN search_docs d ON d.doc_id = search_fts.rowid WHERE search_fts MATCH ?').get(match) as { n: number }).n;
    const ids = [...byAllegation.keys()].slice(0, limit);
    const meta = prepared(this.db, 
      `SELECT a.id, a.reference, a.received_at, a.status, a.channel, a.unit_code,
              (SELECT group_concat(offence_type, ',') FROM allegation_offences o WHERE o.allegation_id = a.id) AS offences,
              (SELECT trim(forename || ' ' || surname) FROM subjects s WHERE s.allegation_id = a.id ORDER BY ordinal LIMIT 1) AS main_subject
       FROM allegations a WHERE a.id = ?`,
    );
    const hits: SearchHit[] = ids.map((id) => {
      const m = meta.get(id) as Record<string, string | null>;
      const docs = byAllegation.get(id) ?? [];
      return {
        allegationId: id,
        reference: m.reference as string,
        receivedAt: m.received_at as string,
        status: m.status as SearchHit['status'],
        channel: m.channel as SearchHit['channel'],
        offenceTypes: (m.offences ?? '').split(',').filter(Boolean) as SearchHit['offenceTypes'],
        unit: m.unit_code ?? null,
        mainSubject: m.main_subject ?? '',
        score: -(docs[0]?.score ?? 0),
        matches: docs.slice(0, 3).map((d) => ({
          place:
            d.place === 'form'
              ? { kind: 'form' as const }
              : d.place === 'note'
                ? { kind: 'note' as const, noteId: d.part_id as string }
                : { kind: 'attachment' as const, attachmentId: d.part_id as string, page: d.page, fileName: d.label.replace(/, page \d+$/, '') },
          snippet: d.snip,
        })),
      };
    });
    return { total, hits };
  }
}

