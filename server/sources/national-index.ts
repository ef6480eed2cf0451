// National repeat referrers. Desks deposit each allegation's data key with the server (wrapped at once by the KEK,
// like the keys the server releases); as sealed source details arrive by sync, the server opens them in memory
// with a deposited key, normalises the identifiers (shared/sources/keys.ts) and keeps only their keyed digests
// under its own blind-index key (keys/blind-index.ts), which no desk holds. The National Source Unit's view is then
// grouped from every unit's referrals (shared/sources/referrer-groups.ts). Nothing opened is logged or stored.
import { SAFE_SEQ } from '../sync/numbering.ts';
import type { ServerContext } from '../context.ts';
import type { Queryable, Transaction } from '../db/database.ts';
import { appendAudit } from '../store/audit.ts';
import { lockWrites } from '../sync/write.ts';
import { openSealed, SEALED_FORMAT } from './sealed.ts';
import { reportedKeys, sourceKeys, type SourceKey, type SourceLike } from '../../shared/sources/keys.ts';

/** Changes to these entities may change an allegation's index (its source details, or what it reported). */
const INDEXED_ENTITIES = ['source_details', 'subject', 'address'];
const CURSOR = 'source_index_cursor';
const BATCH = 200;

/** What a deposited key is bound to when wrapped: the desk that deposited it and the allegation. */
export const depositContext = (allegationId: string, deskId: string) => `deposit\u0000${deskId}\u0000${allegationId}`;
const sourceAad = (allegationId: string) => `allegation:${allegationId}|source`;

export interface DepositedKey {
  allegationId: string;
  /** base64, 32 bytes. */
  dataKey: string;
}

/** Stores a desk's data keys wrapped by the KEK (a key already deposited by that desk is kept), then indexes them. */
export async function depositKeys(ctx: ServerContext, deskId: string, userId: string | null, keys: readonly DepositedKey[]): Promise<{ deposited: number; indexed: number }> {
  const wrapped = await Promise.all(keys.map(async (k) => (await ctx.keys.wrap(Buffer.from(k.dataKey, 'base64'), depositContext(k.allegationId, deskId))).toString('base64')));
  const now = ctx.now();
  const deposited = await ctx.db.transaction(async (tx) => {
    await lockWrites(tx);
    const rows = await tx.query<{ allegation_id: string }>(
      `INSERT INTO deposited_keys (allegation_id, desk_id, kek_id, wrapped, deposited_at)
       SELECT a, $2, $3, w, $4 FROM unnest($1::text[], $5::text[]) AS t(a, w)
       ON CONFLICT (allegation_id, desk_id) DO NOTHING RETURNING allegation_id`,
      [keys.map((k) => k.allegationId), deskId, ctx.keys.keyId, now.toISOString(), wrapped],
    );
    await appendAudit(tx, ctx.auditKey, now, { userId, deskId, action: 'key.deposit', details: { count: keys.length, new: rows.length, keyId: ctx.keys.keyId, allegations: keys.slice(0, 20).map((k) => k.allegationId) } });
    return rows.length;
  });
  const indexed = await indexAllegations(ctx, keys.map((k) => k.allegationId));
  return { deposited, indexed };
}

let running: Promise<number> | null = null;

/**
 * Brings the index up to date with every change accepted since the last catch-up: one at a time per instance (a
 * second caller joins the run in progress); several instances may overlap harmlessly, as each allegation's index is
 * recomputed from the rows as they stand.
 */
export function catchUpIndex(ctx: ServerContext): Promise<number> {
  if (!running) running = catchUp(ctx).finally(() => (running = null));
  return running;
}

async function catchUp(ctx: ServerContext): Promise<number> {
  const [meta] = await ctx.db.query<{ value: string }>('SELECT value FROM server_meta WHERE key = $1', [CURSOR]);
  const from = Number(meta?.value ?? 0);
  const [top] = await ctx.db.query<{ seq: number | null }>(`SELECT least((SELECT max(seq) FROM change_log), ${SAFE_SEQ}) AS seq`);
  const to = Number(top?.seq ?? 0);
  if (to <= from) return 0;
  // Allegations already indexed from rows that held the change (at deposit, or by another instance) are skipped.
  const rows = await ctx.db.query<{ allegation_id: string }>(
    `SELECT DISTINCT c.allegation_id FROM change_log c
     WHERE c.seq > $1 AND c.seq <= $2 AND c.status = 'accepted' AND c.entity = ANY($3) AND c.allegation_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM source_index_state s WHERE s.allegation_id = c.allegation_id AND s.problem IS NULL AND s.indexed_seq >= c.seq)`,
    [from, to, INDEXED_ENTITIES],
  );
  const indexed = await indexAllegations(ctx, rows.map((r) => r.allegation_id));
  await ctx.db.query(
    `INSERT INTO server_meta (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = GREATEST(server_meta.value::bigint, EXCLUDED.value::bigint)::text`,
    [CURSOR, String(to)],
  );
  return indexed;
}

type Fields = Record<string, unknown>;

function bytesOf(v: unknown): Buffer | null {
  if (v && typeof v === 'object' && typeof (v as { b64?: unknown }).b64 === 'string') return Buffer.from((v as { b64: string }).b64, 'base64');
  return null;
}

/** Recomputes the index of these allegations from their rows as they stand; returns how many were indexed. */
export async function indexAllegations(ctx: ServerContext, ids: readonly string[]): Promise<number> {
  let indexed = 0;
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += BATCH) indexed += await indexBatch(ctx, unique.slice(i, i + BATCH));
  return indexed;
}

async function indexBatch(ctx: ServerContext, ids: string[]): Promise<number> {
  const db = ctx.db;
  // No change at or below this number is still to commit (sync/numbering.ts): all of them are in the rows read next.
  const [top] = await db.query<{ seq: number | null }>(`SELECT least((SELECT max(seq) FROM change_log), ${SAFE_SEQ}) AS seq`);
  const upTo = Number(top?.seq ?? 0);
  const sources = await db.query<{ id: string; data: Fields }>("SELECT id, data FROM entity_rows WHERE entity = 'source_details' AND id = ANY($1)", [ids]);
  if (!sources.length) return 0;
  const withSource = sources.map((s) => s.id);
  const deposits = await db.query<{ allegation_id: string; desk_id: string; wrapped: string }>('SELECT allegation_id, desk_id, wrapped FROM deposited_keys WHERE allegation_id = ANY($1) ORDER BY deposited_at', [withSource]);
  const reported = await reportedOf(db, withSource);
  const results: Array<{ id: string; keys: SourceKey[] | null; problem: string | null }> = [];
  for (const s of sources) {
    const payload = bytesOf(s.data.payload);
    if (s.data.format !== SEALED_FORMAT || !payload) {
      results.push({ id: s.id, keys: null, problem: `source details in a form the server does not open (${String(s.data.format)})` });
      continue;
    }
    let details: SourceLike | null = null;
    for (const d of deposits.filter((x) => x.allegation_id === s.id)) {
      const key = await ctx.keys.unwrap(Buffer.from(d.wrapped, 'base64'), depositContext(s.id, d.desk_id));
      const plain = openSealed(key, payload, sourceAad(s.id));
      key.fill(0);
      if (plain) {
        details = JSON.parse(plain.toString('utf8')) as SourceLike;
        plain.fill(0);
        break;
      }
    }
    if (!details) {
      results.push({ id: s.id, keys: null, problem: deposits.some((x) => x.allegation_id === s.id) ? 'no deposited key opens the source details' : 'waiting for the desk to deposit its key' });
      continue;
    }
    const r = reported.get(s.id);
    results.push({ id: s.id, keys: [...sourceKeys(details), ...reportedKeys(r?.subjects ?? [], r?.postcodes ?? [])], problem: null });
  }
  const flat: Array<{ id: string; kind: string; value: string }> = [];
  for (const r of results) for (const k of r.keys ?? []) flat.push({ id: r.id, kind: k.kind, value: k.value });
  const digests = await ctx.blindIndex.digest(flat);
  const rows = new Map<string, { a: string; k: string; d: string }>();
  flat.forEach((f, i) => rows.set(`${f.id}\u0000${f.kind}\u0000${digests[i] as string}`, { a: f.id, k: f.kind, d: digests[i] as string }));
  const now = ctx.now().toISOString();
  await db.transaction(async (tx: Transaction) => {
    const done = results.filter((r) => r.keys);
    if (done.length) await tx.query('DELETE FROM source_index WHERE allegation_id = ANY($1)', [done.map((r) => r.id)]);
    const list = [...rows.values()];
    if (list.length) {
      await tx.query('INSERT INTO source_index (allegation_id, kind, digest) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING', [list.map((r) => r.a), list.map((r) => r.k), list.map((r) => r.d)]);
    }
    await tx.query(
      `INSERT INTO source_index_state (allegation_id, key_id, indexed_at, indexed_seq, problem)
       SELECT a, CASE WHEN p IS NULL THEN $4 END, $3, $5, p FROM unnest($1::text[], $2::text[]) AS t(a, p)
       ON CONFLICT (allegation_id) DO UPDATE SET key_id = COALESCE(EXCLUDED.key_id, source_index_state.key_id), indexed_at = EXCLUDED.indexed_at, indexed_seq = EXCLUDED.indexed_seq, problem = EXCLUDED.problem`,
      [results.map((r) => r.id), results.map((r) => r.problem) as unknown as string[], now, ctx.blindIndex.keyId, upTo],
    );
  });
  return results.filter((r) => r.keys).length;
}

/** Each allegation's subjects and address postcodes as the national record holds them (open data). */
async function reportedOf(db: Queryable, ids: string[]): Promise<Map<string, { subjects: Array<{ forename: string | null; surname: string | null }>; postcodes: string[] }>> {
  const out = new Map<string, { subjects: Array<{ forename: string | null; surname: string | null }>; postcodes: string[] }>();
  const entry = (id: string) => out.get(id) ?? out.set(id, { subjects: [], postcodes: [] }).get(id) as { subjects: Array<{ forename: string | null; surname: string | null }>; postcodes: string[] };
  const rows = await db.query<{ entity: string; allegation_id: string; data: Fields }>("SELECT entity, allegation_ids[1] AS allegation_id, data FROM entity_rows WHERE entity IN ('subject', 'address') AND allegation_ids[1] = ANY($1)", [ids]);
  for (const r of rows) {
    if (r.data.removed_at) continue;
    if (r.entity === 'subject') entry(r.allegation_id).subjects.push({ forename: (r.data.forename as string | null) ?? null, surname: (r.data.surname as string | null) ?? null });
    else if (typeof r.data.postcode === 'string') entry(r.allegation_id).postcodes.push(r.data.postcode);
  }
  return out;
}
