// What whole-database encryption (better-sqlite3-multiple-ciphers, SQLCipher format) would cost the case store:
// the same store (imported from the corpus) written and read plain and encrypted, with the same work.
//   npm run bench -- db-encryption [--file FILE]
// Prints one JSON line: bulk write seconds, query latencies and file sizes, plain and encrypted.
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Core } from '../electron/core/core.ts';
import { importJsonl } from '../electron/core/import.ts';
import { STORE_FILE } from '../electron/store/db.ts';
import { toFtsMatch } from '../shared/search/query.ts';

const require = createRequire(import.meta.url);
const DATA = process.env.IMS_SHARED_DATA ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data');

type Db = {
  pragma(s: string, o?: { simple: boolean }): unknown;
  prepare(s: string): { all(...a: unknown[]): unknown[]; get(...a: unknown[]): unknown };
  exec(s: string): void;
  close(): void;
};

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0) * 100) / 100;
}

function workload(db: Db, terms: string[], refs: string[]) {
  const search = db.prepare(
    `SELECT d.allegation_id, bm25(search_fts) AS s FROM search_fts JOIN search_docs d ON d.doc_id = search_fts.rowid WHERE search_fts MATCH ? ORDER BY s LIMIT 50`,
  );
  const queue = db.prepare(`SELECT id, reference, received_at FROM allegations WHERE unit_code = ? AND status IN ('new','triaged','in_research') ORDER BY received_at LIMIT 1000`);
  const record = db.prepare(`SELECT * FROM allegations a JOIN subjects s ON s.allegation_id = a.id WHERE a.reference = ?`);
  const time = (f: () => void) => {
    const t = performance.now();
    f();
    return performance.now() - t;
  };
  const searches = terms.map((t) => time(() => search.all(toFtsMatch(t))));
  const queues = ['LACAT', 'WMID', 'NWEST', 'YORKS', 'NAT', 'SCOT'].flatMap((u) => [time(() => queue.all(u)), time(() => queue.all(u))]);
  const reads = refs.map((r) => time(() => record.all(r)));
  return {
    searchMs: { p50: percentile(searches, 50), p95: percentile(searches, 95) },
    queueMs: { p50: percentile(queues, 50), p95: percentile(queues, 95) },
    recordMs: { p50: percentile(reads, 50), p95: percentile(reads, 95) },
  };
}

export async function run(args: string[]) {
  const { values } = parseArgs({ args, options: { file: { type: 'string' } } });
  const file = values.file ?? join(DATA, 'corpus', 'allegations-10k.jsonl');
  const dir = mkdtempSync(join(tmpdir(), 'ims-bench-dbenc-'));
  try {
    const core = await Core.openUnlocked(join(dir, 'store'), { kind: 'passphrase', passphrase: 'benchmark vault passphrase' });
    const imported = await importJsonl(core, file, { userId: null, name: 'bench' });
    core.close();
    const Plain = require('better-sqlite3') as new (f: string) => Db;
    const Ciphers = require('better-sqlite3-multiple-ciphers') as new (f: string) => Db;
    const source = join(dir, 'store', STORE_FILE);

    // Bulk write: copy the whole store into a fresh plain file, and into a fresh encrypted one.
    const src = new Ciphers(source);
    src.pragma('wal_checkpoint(TRUNCATE)');
    let t = performance.now();
    src.exec(`VACUUM INTO '${join(dir, 'plain.sqlite')}'`);
    const plainWrite = (performance.now() - t) / 1000;
    src.exec(`VACUUM INTO '${join(dir, 'enc.sqlite')}'`);
    src.close();
    // Encrypting every page of a copy (PRAGMA rekey) is the same work as writing the store encrypted.
    const toEncrypt = new Ciphers(join(dir, 'enc.sqlite'));
    toEncrypt.pragma("cipher='sqlcipher'");
    t = performance.now();
    toEncrypt.pragma("rekey='benchmark key'");
    const encWrite = plainWrite + (performance.now() - t) / 1000;
    toEncrypt.close();

    const terms = ['Akram', '"no papers"', 'car wash', 'Birmingham', 'passport', 'TK2584', 'Ahmed', 'visa', 'cash in hand', 'Manchester', 'wedding', 'benefits'].flatMap((x) => [x, x, x, x, x]);
    const plain = new Plain(join(dir, 'plain.sqlite'));
    const refs = (plain.prepare('SELECT reference FROM allegations ORDER BY random() LIMIT 300').all() as Array<{ reference: string }>).map((r) => r.reference);
    workload(plain, terms, refs);
    const plainRead = workload(plain, terms, refs);
    plain.close();
    const enc = new Ciphers(join(dir, 'enc.sqlite'));
    enc.pragma("cipher='sqlcipher'");
    enc.pragma("key='benchmark key'");
    workload(enc, terms, refs);
    const encRead = workload(enc, terms, refs);
    enc.close();
    const ratio = (a: number, b: number) => Math.round((b / Math.max(a, 0.001)) * 100) / 100;
    return {
      bench: 'db-encryption',
      records: imported.imported,
      bytes: { plain: statSync(join(dir, 'plain.sqlite')).size, encrypted: statSync(join(dir, 'enc.sqlite')).size },
      bulkWriteSeconds: { plain: Math.round(plainWrite * 100) / 100, encrypted: Math.round(encWrite * 100) / 100, ratio: ratio(plainWrite, encWrite) },
      read: { plain: plainRead, encrypted: encRead, searchP95Ratio: ratio(plainRead.searchMs.p95, encRead.searchMs.p95), recordP95Ratio: ratio(plainRead.recordMs.p95, encRead.recordMs.p95) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
