// The sync benchmark's working day of one desk, shared by the pushes through the server and the direct writes of
// the ceiling (_sync-ceiling.ts), so that both carry the same changes.
import { randomUUID } from 'node:crypto';
import { HybridClock } from '../shared/sync/hlc.ts';
import type { ChangeRow } from '../shared/sync/changes.ts';
import { MutationBuilder } from '../tests/server/builders.ts';

/** A desk's working day: intake of new allegations, then amendments and notes on them. */
export function workload(node: string, userId: string, mutations: number): ChangeRow[] {
  const clock = new HybridClock(node);
  const out: ChangeRow[] = [];
  let seq = 0;
  const next = () => ++seq;
  const cases: Array<{ id: string; text: string }> = [];
  for (let i = 0; i < mutations; i++) {
    const m = new MutationBuilder(clock.tick(), userId, out, next);
    if (cases.length < 100 || i % 10 === 0) {
      const id = m.allegation({ unit_code: 'WMID' });
      m.insert('subject', randomUUID(), { allegation_id: id, ordinal: 0, role: 'main', forename: 'Name', surname: `Surname${i}` }, id);
      cases.push({ id, text: 'He works at the car wash every day with no papers.' });
    } else if (i % 2 === 0) {
      const c = cases[i % cases.length] as { id: string; text: string };
      const text = `${c.text.slice(0, 60)} amended ${i}`;
      m.update('allegation', c.id, { free_text: [c.text, text] }, c.id);
      c.text = text;
    } else {
      const c = cases[i % cases.length] as { id: string };
      m.insert('note', randomUUID(), { allegation_id: c.id, note_date: '2026-03-02', author_name: 'Bench', author_user_id: userId, text: `Research note ${i}: checked the address.`, amends_note_id: null, created_at: new Date().toISOString() }, c.id);
    }
  }
  return out;
}
