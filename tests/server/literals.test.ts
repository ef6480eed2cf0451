// The push sends its read with its BEGIN and its write with its COMMIT, as single messages without parameters, so
// its values travel written into the SQL as literals: every value must come back exactly as it went, whatever
// quotes, backslashes, braces or dollar signs a desk put in it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inline } from '../../server/db/postgres.ts';
import { POSTGRES_URL } from './harness.ts';

describe.skipIf(!POSTGRES_URL)('values written into SQL as literals [PostgreSQL]', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: POSTGRES_URL as string });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });

  it('come back unchanged, alone and in arrays', async () => {
    const nasty = ['plain', "it's", 'back\\slash', 'both\\\'"', 'quote"d', '{brace},', 'new\nline', 'ünï ✓', '$1 $2', 'NULL', '', " E'x", "'); DROP TABLE users; --"];
    for (const v of nasty) {
      const r = await client.query(inline('SELECT $1::text AS t, $2::text[] AS a, $3::jsonb AS j', [v, [v, 'x', v], JSON.stringify({ v })]));
      expect(r.rows[0]).toEqual({ t: v, a: [v, 'x', v], j: { v } });
    }
  });

  it('keep times, numbers and nulls', async () => {
    const at = new Date('2026-03-29T00:59:59.999Z');
    const r = await client.query(inline('SELECT $1::timestamptz AS at, $2::bigint AS n, $3::text AS z, $4::bigint[] AS ns', [at, 9_007_199_254_740_991, null, [1, 2]]));
    expect((r.rows[0].at as Date).toISOString()).toBe(at.toISOString());
    expect(r.rows[0]).toMatchObject({ n: 9_007_199_254_740_991, z: null, ns: ['1', '2'] });
  });

  it('refuses a statement that names a parameter it was not given', () => {
    expect(() => inline('SELECT $2::text', ['one'])).toThrow(/\$2/);
  });
});
