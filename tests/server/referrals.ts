// Referrals as a desk syncs them: an allegation, its subjects and addresses, and its source details sealed with the
// allegation's own data key exactly as the desk's vault seals them (electron/vault/aead.ts), for the server's
// national repeat-referrer tests. No test runner imported here.
import { randomBytes, randomUUID } from 'node:crypto';
import { seal } from '../../electron/vault/aead.ts';
import type { ChangeRow } from '../../shared/sync/changes.ts';
import type { TestDesk } from './harness.ts';

export interface Referral {
  unit: string;
  receivedAt?: string;
  source: { name?: string; phone?: string; email?: string; address?: string; relationship?: string; organisation?: string };
  subjects?: Array<{ forename: string; surname: string }>;
  postcodes?: string[];
}

export interface Sealed {
  allegationId: string;
  /** The data key, base64, as the desk would deposit it. */
  dataKey: string;
  changes: ChangeRow[];
}

export function sealedReferral(desk: TestDesk, userId: string | null, r: Referral): Sealed {
  const key = randomBytes(32);
  let allegationId = '';
  const changes = desk.mutation(userId, (m) => {
    allegationId = m.allegation({ unit_code: r.unit, has_source: 1, ...(r.receivedAt ? { received_at: r.receivedAt } : {}) });
    const payload = seal(key, Buffer.from(JSON.stringify({ restricted: true, ...r.source }), 'utf8'), `allegation:${allegationId}|source`);
    m.insert('source_details', allegationId, { format: 'aes256gcm-v1', payload: { b64: payload.toString('base64') }, updated_at: new Date().toISOString() }, allegationId);
    (r.subjects ?? []).forEach((s, i) => m.insert('subject', randomUUID(), { allegation_id: allegationId, ordinal: i, role: i ? 'associate' : 'main', forename: s.forename, surname: s.surname }, allegationId));
    (r.postcodes ?? []).forEach((p, i) => m.insert('address', randomUUID(), { allegation_id: allegationId, ordinal: i, type: 'home', line1: '1 High Street', postcode: p }, allegationId));
  });
  return { allegationId, dataKey: key.toString('base64'), changes };
}
