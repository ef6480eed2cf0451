// Management information at scale: generates the synthetic corpus, imports it in bulk, brings every MI fact up to
// date (timed: what a desk does once after a bulk load or a migration), works a share of it so the figures are not
// all "not known" (assessment dates, risk ratings, gradings, actions awaiting results, written straight into the
// store and their facts recomputed by the MI index), closes and reopens the store, then asks for the figures of each
// region, of units and nationally, over everything held and over the last 12 months of receipt. Prints one line:
//   {"n","latencyMs":{"region":{"p50","p95"},"region12m":…,"unit":…,"national":…,"drill":…},"factsPerSecond",…}
//   npm run bench -- mi --n 100000        (also --n 1000000; --profile DIR reuses an imported store, --keep keeps it)
//   npm run bench -- mi --profile DIR --clone 10
//        MI over ten times the facts of a kept store: the store is copied and its fact rows cloned (new allegation
//        ids, foreign keys off on that copy). MI reads only fact rows, so this measures MI at that size without
//        importing it (a 1M import took hours on the shared machine); the figures are labelled "cloned".
import { parseArgs } from 'node:util';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../electron/core/core.ts';
import { importJsonl } from '../electron/core/import.ts';
import { miRecords, miReportFor, scopeView } from '../electron/core/mi.ts';
import { REGIONS, UNITS } from '../shared/domain/units.ts';
import { serviceStandardDueAt } from '../shared/domain/clock.ts';
import { RISK_RATINGS } from '../shared/domain/vocabularies.ts';
import { corpusFile, parseN, percentile, VAULT } from './_corpus.ts';
import { CODED_COLUMNS } from '../shared/mi/codec.ts';

/** Deterministic (mulberry32), so two runs work the same allegations. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A share of the corpus as a desk would have worked it: the legacy records gain an assessment date some days after
 * receipt, a risk rating and a grading; a fifth of them an ICE tasking awaiting its result. Written directly (a
 * benchmark of reading, not of the write path), in one transaction; the MI index then recomputes their facts.
 */
function work(core: Core): number {
  const random = rng(7);
  const db = core.store.db;
  const rows = db.prepare("SELECT id, received_at FROM allegations WHERE status <> 'new'").all() as Array<{ id: string; received_at: string }>;
  const hlc = '0000000000000-00000-bench';
  const assessStmt = db.prepare("UPDATE allegations SET assessed_at = ?, risk_rating = ?, next_due_at = ?, grading_source = '2', grading_intelligence = 'C', grading_handling = 'P', harm = 'low' WHERE id = ?");
  const action = db.prepare(
    "INSERT INTO disseminations (id, allegation_id, recipient, recipient_kind, sent_at, sent_by, follow_up_due, action, recipient_type, follow_up_rule, hlc) VALUES (?, ?, 'ICE team', 'internal', ?, 'bench', ?, 'tasked_ice', 'ice_team', 'ICE tasking: 20 working days', ?)",
  );
  db.transaction(() => {
    for (const r of rows) {
      const received = Date.parse(r.received_at);
      const assessed = new Date(received + (random() < 0.6 ? random() * 2 : random() * 30) * 86_400_000);
      const rating = RISK_RATINGS[Math.floor(random() * RISK_RATINGS.length)] as (typeof RISK_RATINGS)[number];
      assessStmt.run(assessed.toISOString(), rating, serviceStandardDueAt(assessed, rating).toISOString(), r.id);
      if (random() < 0.2) action.run(core.store.newId(), r.id, assessed.toISOString(), new Date(assessed.getTime() + 28 * 86_400_000).toISOString().slice(0, 10), hlc);
    }
  })();
  return rows.length;
}

/** Wall time, and CPU time: the same measure with other sessions' load on the shared machine taken out. */
const cpuMs: Record<string, number[]> = {};
function time<T>(fn: () => T, kind?: string): { ms: number; value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (kind) (cpuMs[kind] ??= []).push((c.user + c.system) / 1000);
  return { ms, value };
}

function summary(list: number[]) {
  const sorted = [...list].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: percentile(sorted, 100), n: list.length };
}

export async function run(args: string[]) {
  const { values } = parseArgs({ args, options: { n: { type: 'string', default: '100000' }, profile: { type: 'string' }, keep: { type: 'boolean', default: false }, corpus: { type: 'string' }, rounds: { type: 'string', default: '10' }, clone: { type: 'string' } } });
  const n = parseN(values.n as string);
  const clone = values.clone ? Number(values.clone) : 0;
  if (clone && !values.profile) throw new Error('--clone needs --profile DIR (a kept store to copy)');
  let dir = values.profile ?? mkdtempSync(join(tmpdir(), 'ims-bench-mi-'));
  let cloneDir: string | null = null;
  if (clone) {
    cloneDir = mkdtempSync(join(tmpdir(), 'ims-bench-mi-clone-'));
    cpSync(dir, cloneDir, { recursive: true });
    const copy = Core.open(cloneDir);
    const cols = ['region', 'received_day', ...CODED_COLUMNS];
    copy.store.db.pragma('foreign_keys = OFF');
    const t0 = performance.now();
    copy.store.db.transaction(() => {
      for (let k = 1; k < clone; k++) copy.store.db.prepare(`INSERT INTO mi_facts (allegation_id, ${cols.join(', ')}) SELECT allegation_id || '#${k}', ${cols.join(', ')} FROM mi_facts WHERE allegation_id NOT LIKE '%#%'`).run();
    })();
    process.stderr.write(`cloned the facts ${clone}x in ${Math.round(performance.now() - t0)} ms\n`);
    copy.close();
    dir = cloneDir;
  }
  let importSeconds: number | null = null;
  let catchUpSeconds: number | null = null;
  let workedAllegations: number | null = null;
  try {
    if (!values.profile) {
      const file = corpusFile(n, values.corpus ?? join(tmpdir(), 'ims-corpus'));
      const core = await Core.openUnlocked(dir, VAULT);
      let last = 0;
      const s = await importJsonl(
        core,
        file,
        { userId: null, name: 'bench' },
        (p) => {
          if (p.imported - last >= 50_000) {
            last = p.imported;
            process.stderr.write(`  imported ${p.imported}\n`);
          }
        },
        { deferIndex: true },
      );
      importSeconds = s.seconds;
      const caught = time(() => core.mi.catchUp());
      catchUpSeconds = Math.round(caught.ms) / 1000;
      workedAllegations = work(core);
      core.mi.rebuild();
      core.close();
    }
    // Reopen, as a desk starts: nothing to catch up, the figures answer from the facts.
    const core = Core.open(dir);
    const db = core.store.db;
    const allegations = (db.prepare('SELECT count(*) AS n FROM allegations').get() as { n: number }).n;
    const facts = (db.prepare('SELECT count(*) AS n FROM mi_facts').get() as { n: number }).n;
    // Recomputing every fact (a migration): timed on real stores only, a clone's extra facts have no allegation.
    const rebuilt = clone ? null : time(() => core.mi.rebuild());
    const factsPerSecond = rebuilt ? Math.round(rebuilt.value / (rebuilt.ms / 1000)) : null;
    const last = core.mi.span().last as string;
    const yearBefore = `${Number(last.slice(0, 4)) - 1}${last.slice(4)}`;
    const rounds = Math.max(1, Number(values.rounds));
    const lat: Record<string, number[]> = { region: [], region12m: [], unit: [], national: [], drill: [] };
    const coldRegion = time(() => miReportFor(core, scopeView(core, null, { level: 'region', region: 'london', by: 'unit' }))).ms;
    const units = UNITS.filter((u) => u.kind !== 'nsu').map((u) => u.code);
    const regionSizes: Record<string, number> = {};
    for (let r = 0; r < rounds; r++) {
      for (const region of REGIONS) {
        const a = time(() => miReportFor(core, scopeView(core, null, { level: 'region', region, by: 'unit' })), 'region');
        lat.region?.push(a.ms);
        regionSizes[region] = a.value.total;
        lat.region12m?.push(time(() => miReportFor(core, scopeView(core, null, { level: 'region', region, from: yearBefore, to: last, by: 'month' })), 'region12m').ms);
      }
      const unit = units[r % units.length] as string;
      lat.unit?.push(time(() => miReportFor(core, scopeView(core, null, { level: 'unit', unit, by: 'month' })), 'unit').ms);
      if (r < 3) lat.national?.push(time(() => miReportFor(core, scopeView(core, null, { level: 'national', by: 'region' })), 'national').ms);
      const region = REGIONS[r % REGIONS.length];
      // A national manager: the drill-down's own permission rule lets them see any region.
      const user = { id: 'bench', username: 'bench', display_name: 'Bench', role: 'manager', unit_code: null, active: 1, password_hash: '', created_at: '', created_by: null } as unknown as Parameters<typeof miRecords>[1];
      lat.drill?.push(time(() => miRecords(core, user, { level: 'region', region, by: 'unit' }, { group: 'timeliness.buckets', key: '3-5' }, 20_000), 'drill').ms);
    }
    const storeBytes = (db.prepare('SELECT page_count * page_size AS b FROM pragma_page_count(), pragma_page_size()').get() as { b: number }).b;
    let factBytes: number | null = null;
    try {
      factBytes = (db.prepare("SELECT sum(pgsize) AS b FROM dbstat WHERE name LIKE 'mi_facts%'").get() as { b: number }).b;
    } catch {
      factBytes = null;
    }
    core.close();
    return {
      bench: 'mi',
      loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
      n,
      allegations,
      facts,
      cloned: clone || null,
      regionSizes,
      importSeconds,
      catchUpSeconds,
      workedAllegations,
      factsPerSecond,
      coldRegionMs: Math.round(coldRegion * 10) / 10,
      latencyMs: Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, summary(v)])),
      cpuMs: Object.fromEntries(Object.entries(cpuMs).map(([k, v]) => [k, summary(v)])),
      storeBytes,
      factBytes,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      profile: cloneDir ? null : values.keep || values.profile ? dir : null,
    };
  } finally {
    if (cloneDir) rmSync(cloneDir, { recursive: true, force: true });
    else if (!values.profile && !values.keep) rmSync(dir, { recursive: true, force: true });
  }
}
