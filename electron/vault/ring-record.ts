// The store remembers which key ring sealed it. Without this, a desk given another desk's key ring (copied
// keys/keyring.json, same passphrase) unlocked without a word and wrapped new data keys with it: the sources
// written then could no longer be read once the right ring was put back. Now the ring's identity (its key id and
// a fingerprint keyed with its master key) is written into the store when the ring is created or first used, and
// an unlock with any other ring is refused before anything is written under it. Rotation replaces the record in
// the transaction that re-wraps the data keys.
import type { Db } from '../store/db.ts';
import { prepared } from '../store/statements.ts';
import { KeyError } from './keyring.ts';
import type { RingIdentity } from './key-service.ts';

const KEY = 'vault_ring';

export interface RingRecord extends RingIdentity {
  recordedAt: string;
}

export function readRingRecord(db: Db): RingRecord | null {
  const row = prepared(db, `SELECT value FROM meta WHERE key = '${KEY}'`).get() as { value: string } | undefined;
  if (!row) return null;
  try {
    const parsed = JSON.parse(row.value) as Partial<RingRecord>;
    if (typeof parsed.keyId === 'string' && typeof parsed.fingerprint === 'string') return { keyId: parsed.keyId, fingerprint: parsed.fingerprint, recordedAt: String(parsed.recordedAt ?? '') };
  } catch {
    // fall through: a record that cannot be read is reported as damaged below
  }
  throw new KeyError('corrupt', "The store's record of the key ring that sealed it is damaged. Nothing was changed; restore the store from backup.");
}

export function writeRingRecord(db: Db, ring: RingIdentity, at: string): void {
  prepared(db, `INSERT INTO meta (key, value) VALUES ('${KEY}', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(
    JSON.stringify({ keyId: ring.keyId, fingerprint: ring.fingerprint, recordedAt: at } satisfies RingRecord),
  );
}

const short = (fingerprint: string) => fingerprint.slice(0, 16);

function refuse(expected: { keyId: string; fingerprint?: string }, actual: RingIdentity, why: string): KeyError {
  const wanted = `key ring ${expected.keyId}${expected.fingerprint ? ` (fingerprint ${short(expected.fingerprint)})` : ''}`;
  return new KeyError(
    'wrong_ring',
    `This store was sealed under ${wanted}, but the key ring given is ${actual.keyId} (fingerprint ${short(actual.fingerprint)})${why}. ` +
      "Nothing was changed and the vault stays locked. Put back this desk's own key ring (keys/keyring.json from this desk's backup) and unlock again.",
  );
}

/**
 * Checks that `ring` is the ring this store was sealed under, before anything is written with it. A store that
 * has no record yet (made before records, or never unlocked) is checked against the ring its data keys name,
 * then recorded. Throws KeyError('wrong_ring') and writes nothing when it is not.
 */
export function checkRing(db: Db, ring: RingIdentity, at: string, unwrapsOne: () => boolean): void {
  const record = readRingRecord(db);
  if (record) {
    if (record.keyId !== ring.keyId || record.fingerprint !== ring.fingerprint) {
      throw refuse(record, ring, record.keyId === ring.keyId ? ': the same id, but not the same key' : '');
    }
    return;
  }
  const used = (prepared(db, 'SELECT key_id, count(*) AS n FROM data_keys GROUP BY key_id ORDER BY n DESC').all() as Array<{ key_id: string; n: number }>);
  const other = used.find((u) => u.key_id !== ring.keyId);
  if (other) throw refuse({ keyId: other.key_id }, ring, `, which wraps none of its ${other.n} data key${other.n === 1 ? '' : 's'}`);
  if (used.length && !unwrapsOne()) throw refuse({ keyId: ring.keyId }, ring, ': its id matches, but its key does not open the data keys');
  writeRingRecord(db, ring, at);
}
