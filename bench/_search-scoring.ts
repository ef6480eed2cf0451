// When a query of the corpus's query mix succeeds (../shared/data/corpus/README.md), judged on the store:
// in the top 10, the target; or for surnames at least 80% of min(10, results) carrying the surname; a record
// holding the postcode or phone (any format); the target or a record containing the phrase; for planted
// duplicates, a record of the cluster other than the query's own.
import type { Db } from '../electron/store/db.ts';
import { buildDocument } from '../electron/search/documents.ts';
import { foldName, normalisePhone, parseUkPostcode } from '../shared/text/normalise.ts';
import { ftsWords } from '../shared/search/query.ts';

export interface Query {
  qid: number;
  cat: string;
  q: string;
  expect: { target?: number; surname?: string[]; postcode?: string; phone?: string; phrase?: string[]; self?: number; anyOf?: number[] };
}

export function queryScorer(db: Db): (query: Query, allegationIds: string[]) => boolean {
  const submissionOf = db.prepare('SELECT submission_id FROM allegations WHERE id = ?').pluck();
  const surnames = db.prepare('SELECT surname FROM subjects WHERE allegation_id = ?').pluck();
  const holds = (id: string, kind: 'postcode' | 'phone', value: string): boolean => {
    const doc = buildDocument(db, id);
    if (!doc) return false;
    const keys = new Set(doc.columns.keys.split(' '));
    if (kind === 'postcode') return keys.has((parseUkPostcode(value).postcode ?? value).replace(' ', '').toLowerCase());
    return keys.has(normalisePhone(value).national || value);
  };
  const containsPhrase = (id: string, words: string[]): boolean => {
    const doc = buildDocument(db, id);
    if (!doc) return false;
    const c = doc.columns;
    const tokens = ftsWords([c.sname, c.gname, c.form, c.biz, c.body, c.notes, c.attach].join('\n'));
    outer: for (let i = 0; i + words.length <= tokens.length; i++) {
      for (let k = 0; k < words.length; k++) if (tokens[i + k] !== words[k]) continue outer;
      return true;
    }
    return false;
  };
  return (query, ids) => {
    const e = query.expect;
    const subs = ids.map((id) => submissionOf.get(id) as number);
    if (query.cat === 'dup') return subs.some((s) => s !== e.self && (e.anyOf ?? []).includes(s));
    if (e.target !== undefined && subs.includes(e.target)) return true;
    switch (query.cat) {
      case 'exact_surname':
      case 'misspelt_surname': {
        if (!ids.length) return false;
        const want = new Set((e.surname ?? []).map((s) => foldName(s)));
        const carrying = ids.filter((id) => (surnames.all(id) as string[]).some((s) => want.has(foldName(s)))).length;
        return carrying >= Math.ceil(0.8 * Math.min(10, ids.length));
      }
      case 'postcode':
        return ids.some((id) => holds(id, 'postcode', e.postcode ?? ''));
      case 'phone':
        return ids.some((id) => holds(id, 'phone', e.phone ?? ''));
      case 'phrase':
        return ids.some((id) => containsPhrase(id, e.phrase ?? []));
      default:
        return false;
    }
  };
}
