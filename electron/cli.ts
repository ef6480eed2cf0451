// `ims`: the desk without a window, over the same core. Output is JSON on stdout (with --json, and always for
// import); errors are one clear line on stderr and a non-zero exit: 1 when the command could not do what was
// asked (not found, refused, reading failed, stopped by a fault), 2 when the command line itself is wrong.
// Text that came from users is written through cli/format.ts, which names hidden characters instead of
// letting the terminal obey them.
import { resolve } from 'node:path';
import { Core } from './core/core.ts';
import { defaultProfileDir } from './core/profile.ts';
import { importJsonl } from './core/import.ts';
import { findAllegationId, readAllegation } from './store/allegations.ts';
import { storeStats } from './core/stats.ts';
import { queueRows } from './store/queues.ts';
import { BUCKETS } from './api/cases.ts';
import { unitByCode, UNIT_CODES } from '../shared/domain/units.ts';
import type { QueueBucket } from '../shared/api.ts';
import { QuerySyntaxError } from '../shared/search/query.ts';
import { storeFault } from './store/faults.ts';
import { openSource } from './core/sources.ts';
import { referrerGroups } from './core/nsu.ts';
import { revealGroup } from './core/nsu-reveal.ts';
import { intelligenceReport } from './core/report.ts';
import { reportText } from '../shared/domain/report.ts';
import { filtersFromPairs, searchFilters } from '../shared/search/filters.ts';
import { exportSearch, rebuildSearch } from './core/search-exports.ts';
import { verifyAuditTrailWithServer } from './core/audit-trail.ts';
import { describeIssues } from '../shared/schemas/submission.ts';
import { block, formatRecordText, line } from './cli/format.ts';
import { parseCommandLine } from './cli/args.ts';
import { readSecret } from './cli/secret.ts';
import { KeyError, keyringExists } from './vault/keyring.ts';
import { linkageCommand } from './cli/linkage.ts';
import { miCommand, MiUsageError } from './cli/mi.ts';
import { attachmentCommand } from './cli/attach.ts';
import { usersCommand } from './cli/users.ts';
import { actorName, CliError, EXIT, print, signInAs, UsageError, type Options } from './cli/common.ts';
import { signInForKeys } from './cli/server-session.ts';

export { CliError };
import { candidatesFor, judgementsOf } from './core/links.ts';

const USAGE = `Usage: ims <command> [options]

Commands:
  import FILE.jsonl [--bulk]   import submissions (JSON Lines); prints a JSON summary. --bulk: index once
                               at the end instead of record by record (large files)
  show REF [--json]            an allegation, everything but its source details
  search QUERY [--filter k=v …] [--json|--csv]
                               search form fields, notes and attachment text; names fuzzily, identifiers in
                               any format. Filters: name, dob (date or year), postcode (or district), phone,
                               email, vehicle, flight, business, offence, channel, unit, outcome, status
                               (lists comma-separated), from, to (received, YYYY-MM-DD)
  reindex [--json]             rebuild the search index from the store (progress on stderr)
  links REF [--limit N] [--json]
                               candidates for an allegation (possible duplicates and associates) with score
                               and explanation, and the judgements recorded on its pairs
  stats [--json]               counts over the store
  mi [--region R | --unit U] [--from D] [--to D] [--by unit|region|month] [--json|--csv|--pdf FILE]
                               management information: timeliness against the 2-day target (Figure 8 buckets),
                               service standards, outcomes and actions, reporters, data quality, assurance,
                               follow-ups; national by default; D: received date, YYYY-MM-DD
  queue --unit UNIT [--bucket B] [--json]
                               a unit's work, most urgent first (NAT is the sift queue); buckets: all_open,
                               new, awaiting_assessment, in_research, awaiting_compliance, closed
  queue --role duty-manager [--unit UNIT] [--json]
                               time-critical work for the duty intelligence manager
  users add --username U --name "Full Name" --role ROLE [--unit UNIT] --as ADMIN
                               add a local account (its password from IMS_NEW_PASSWORD or a prompt); needs an
                               administrator's credential (password from IMS_PASSWORD or a prompt), except for
                               the desk's first account, which must be an administrator
  users unlock USERNAME --as ADMIN
                               lift the lock that failed sign-ins put on an account
  users list [--json]          local accounts
  audit verify [--json]        check the audit chain with the vault's key: every entry's MAC, their order and
                               the signed head (needs the vault passphrase)
  source REF --as USER --reason "…" [--json]
                               open an allegation's restricted source pane as USER (allocated staff or NSU
                               only; password from IMS_PASSWORD or a prompt); writes an audit entry first.
                               On a desk of a central server, signs USER in there: details another desk
                               sealed open with the key the server releases (it audits the release)
  nsu referrers [--json]       repeat referrers found from blind indexes (no source details)
  nsu reveal GROUP --as USER --reason "…" [--json]
                               NSU only: the source details behind a group, each release audited
  vault status|rotate          the vault protecting source details; rotate re-wraps every data key
  export REF --as USER [--json]
                               the sanitised intelligence report (the source is never named)
  attach REF FILE [--wait]     attach a scan (PDF, TIFF incl. fax, JPEG, PNG) to an allegation; with --wait, read
                               it now (progress on stderr) and print the result, else IMS Desk reads it when it runs
  ocr-status REF [--json]      how far each attachment of an allegation has been read, page by page
  ocr-retry REF [--attachment ID] [--page N] [--wait]
                               read again the pages that failed (or page N), and attachments not yet read

The vault passphrase comes from IMS_PASSPHRASE, or is asked for at the terminal (import, source, nsu, vault,
export, attach, ocr-retry, audit).
  linkage --in A.csv [--in2 B.csv] --out pairs.csv [--use-id]
                               the matcher over FEBRL-layout person records; writes rec_id_a,rec_id_b,score

Options:
  --profile DIR                the data folder (default: IMS_PROFILE or ${defaultProfileDir()})
  --json                       machine-readable output
  --limit N                    (search) at most N results (default 20; with --csv up to 10000)
  -h, --help                   this help`;

/** Commands that read or write sealed source details, and so need the desk's vault passphrase. */
const VAULT_COMMANDS = new Set(['import', 'source', 'nsu', 'vault', 'export', 'attach', 'ocr-retry', 'audit']);

/** The passphrase from IMS_PASSPHRASE, or asked for at the terminal (twice when the vault is being created). */
async function unlockVault(core: Core): Promise<void> {
  const creating = !keyringExists(core.store.profileDir);
  let passphrase = process.env.IMS_PASSPHRASE;
  if (!passphrase) {
    if (!process.stdin.isTTY) throw new CliError('the vault passphrase is needed: set IMS_PASSPHRASE or run this in a terminal to be asked');
    passphrase = await readSecret(creating ? 'New vault passphrase for this desk (10 characters or more): ' : 'Vault passphrase: ');
    if (creating && (await readSecret('The same passphrase again: ')) !== passphrase) throw new CliError('the two passphrases are not the same; nothing was created');
  }
  try {
    await core.vault.unlock({ kind: 'passphrase', passphrase });
  } catch (error) {
    if (error instanceof KeyError) throw new CliError(error.message);
    throw error;
  }
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, {
      profile: { type: 'string' },
      json: { type: 'boolean', default: false },
      limit: { type: 'string' },
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      unit: { type: 'string' },
      bucket: { type: 'string' },
      as: { type: 'string' },
      reason: { type: 'string' },
      filter: { type: 'string', multiple: true },
      csv: { type: 'boolean', default: false },
      bulk: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      in: { type: 'string' },
      in2: { type: 'string' },
      out: { type: 'string' },
      'use-id': { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      page: { type: 'string' },
      attachment: { type: 'string' },
      region: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      by: { type: 'string' },
      pdf: { type: 'string' },
    });
  } catch (error) {
    process.stderr.write(`ims: ${block((error as Error).message)}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? EXIT.ok : EXIT.usage;
  }
  // Under `npm run ims -- …` the working directory is the package root; paths are meant from where npm was run.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  if (command === 'linkage') {
    try {
      print(linkageCommand(values, cwd));
      return EXIT.ok;
    } catch (error) {
      process.stderr.write(`ims linkage: ${block((error as Error).message)}\n`);
      return error instanceof CliError ? error.exitCode : EXIT.failed;
    }
  }
  if (!COMMANDS.has(command)) {
    process.stderr.write(`ims: unknown command ${line(command)}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const profile = resolve(cwd, values.profile ?? defaultProfileDir());
  let core: Core | null = null;
  try {
    // A full disk stopping attachment reading is said once, as it happens, in the same words as in the desk.
    core = Core.open(profile, { attachments: { report: (sentence) => process.stderr.write(`${block(sentence)}\n`) } });
    if (VAULT_COMMANDS.has(command)) await unlockVault(core);
    return (await run(core, command, args, values, cwd)) ?? EXIT.ok;
  } catch (error) {
    const fault = storeFault(error);
    process.stderr.write(`ims ${command}: ${block(fault && fault !== error ? `${fault.message[0]?.toUpperCase()}${fault.message.slice(1)}` : (error as Error).message)}\n`);
    if (process.env.IMS_DEBUG && error instanceof Error && !(error instanceof CliError)) process.stderr.write(`${error.stack}\n`);
    if (error instanceof CliError) return error.exitCode;
    return error instanceof QuerySyntaxError ? EXIT.usage : EXIT.failed;
  } finally {
    try {
      core?.close();
    } catch {
      // Closing cannot lose anything committed (a full disk can refuse the last checkpoint; the WAL keeps it).
    }
  }
}

/** Every command `run` knows (linkage runs without a profile). */
const COMMANDS = new Set(['import', 'show', 'search', 'reindex', 'links', 'stats', 'mi', 'queue', 'source', 'nsu', 'export', 'vault', 'users', 'attach', 'ocr-status', 'ocr-retry', 'audit']);

/** Runs one command; returns its exit status when that is not EXIT.ok (or throws CliError). */
async function run(core: Core, command: string, args: string[], opts: Options, cwd: string): Promise<number | void> {
  switch (command) {
    case 'import': {
      const file = args[0];
      if (!file) throw new UsageError('which file? ims import FILE.jsonl');
      const tty = process.stderr.isTTY;
      const summary = await importJsonl(
        core,
        resolve(cwd, file),
        { userId: null, name: actorName('import') },
        (p) => {
          if (tty) process.stderr.write(`\r${Math.round((100 * p.bytesRead) / Math.max(1, p.totalBytes))}%  ${p.imported} imported, ${p.unchanged} unchanged, ${p.failed} failed `);
        },
        { deferIndex: opts.bulk === true },
      );
      if (tty) process.stderr.write('\n');
      for (const e of summary.errors.slice(0, 20)) process.stderr.write(`line ${e.line}${e.reference ? ` (${line(e.reference)})` : ''}: ${line(e.reason)}\n`);
      if (summary.failed + summary.conflicts > 20) process.stderr.write(`… and ${summary.failed + summary.conflicts - 20} more (the first ${summary.errors.length} are in the JSON summary)\n`);
      for (const w of summary.warnings.slice(0, 20)) process.stderr.write(`line ${w.line}${w.reference ? ` (${line(w.reference)})` : ''}: ${line(w.reason)}\n`);
      if (summary.flagged > 20) process.stderr.write(`… and ${summary.flagged - 20} more records with values kept as written (the first ${summary.warnings.length} are in the JSON summary)\n`);
      print(summary);
      // Stopped by a fault: the summary above says what was committed; the exit status says it did not finish.
      if (summary.stopped) throw new CliError(summary.stopped);
      return;
    }
    case 'show': {
      const ref = args[0];
      if (!ref) throw new UsageError('which allegation? ims show IMS-2026-000123');
      const id = findAllegationId(core.store.db, { reference: ref.trim().toUpperCase() });
      const record = id ? readAllegation(core.store.db, id) : null;
      if (!record) throw new CliError(`no allegation ${line(ref)} in ${core.store.profileDir}`);
      if (opts.json) print(record);
      else process.stdout.write(formatRecordText(record));
      return;
    }
    case 'search': {
      const q = args.join(' ');
      const parsedFilters = searchFilters.safeParse(filtersFromPairs(opts.filter ?? []));
      if (!parsedFilters.success) throw new UsageError(describeIssues(parsedFilters.error));
      const filters = Object.keys(parsedFilters.data).length ? parsedFilters.data : undefined;
      if (!q.trim() && !filters) throw new UsageError('what to search for? ims search "flight TK2584" [--filter postcode=N13]');
      const limit = opts.limit ? Number(opts.limit) : opts.csv ? 1000 : 20;
      const max = opts.csv ? 10_000 : 500;
      if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new UsageError(`--limit must be a whole number from 1 to ${max}`);
      if (opts.csv) {
        // The same use-case as the screen's export, with the same audit entry.
        process.stdout.write(exportSearch(core, { userId: null, name: actorName('search --csv') }, { q, filters, limit }).csv);
        return;
      }
      const started = performance.now();
      const result = core.search.search({ q, filters, limit });
      const tookMs = Math.round((performance.now() - started) * 10) / 10;
      const out = { query: q, filters: filters ?? {}, total: result.total, totalIsLowerBound: result.totalIsLowerBound, readAs: result.readAs, pending: result.pending, tookMs, hits: result.hits };
      if (opts.json) print(out);
      else {
        process.stdout.write(`${out.total}${out.totalIsLowerBound ? '+' : ''} allegations match (${out.tookMs} ms)\n`);
        for (const readAs of out.readAs) process.stdout.write(`  read as: ${line(readAs)}\n`);
        for (const h of out.hits) {
          const where = h.matches.map((m) => (m.place.kind === 'attachment' ? `${line(m.place.fileName)}${m.place.page ? ` p.${m.place.page}` : ''}` : m.place.kind === 'note' ? `note ${m.place.date}` : m.place.field)).join(', ');
          // The snippet's match markers (STX/ETX) are dropped; any other hidden character is named.
          process.stdout.write(`${h.reference}  ${line(h.mainSubject) || '(no subject)'}  ${h.tier}${h.why.length ? ` (${line(h.why.join('; '))})` : ''}  [${where}]\n    ${line(h.matches[0]?.snippet.replace(/[\u0002\u0003]/g, ''))}\n`);
        }
      }
      return;
    }
    case 'reindex': {
      const tty = process.stderr.isTTY;
      const result = await rebuildSearch(core, { userId: null, name: actorName('reindex') }, (p) => {
        if (tty) process.stderr.write(`\rindexing ${p.done} of ${p.total} allegations (${Math.round((100 * p.done) / Math.max(1, p.total))}%) `);
        else if (p.done === p.total || p.done % 10_000 === 0) process.stderr.write(`indexed ${p.done} of ${p.total}\n`);
      });
      if (tty) process.stderr.write('\n');
      if (opts.json) print(result);
      else process.stdout.write(`search index rebuilt: ${result.allegations} allegations in ${result.seconds} s\n`);
      return;
    }
    case 'links': {
      const ref = args[0];
      if (!ref) throw new UsageError('which allegation? ims links IMS-2026-000123');
      const id = findAllegationId(core.store.db, { reference: ref.trim().toUpperCase() });
      if (!id) throw new CliError(`no allegation ${line(ref)} in ${core.store.profileDir}`);
      const limit = opts.limit ? Number(opts.limit) : 10;
      if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new UsageError('--limit must be a whole number from 1 to 50');
      const list = candidatesFor(core, id, { limit, includeWeak: true });
      const out = {
        reference: ref.trim().toUpperCase(),
        threshold: list.threshold,
        tookMs: list.tookMs,
        open: list.open,
        candidates: list.candidates.map(({ side: _side, ...c }) => c),
        judgements: judgementsOf(core, id),
      };
      if (opts.json) print(out);
      else {
        process.stdout.write(`${out.candidates.length} candidates for ${out.reference} (${out.tookMs} ms), ${out.open} suggested and not yet judged\n`);
        for (const c of out.candidates) process.stdout.write(`${c.reference}  ${c.score.toFixed(4)}  ${c.label}${c.reproposed ? ' (back after "not a match")' : ''}\n    ${line(c.summary)}\n`);
        for (const j of out.judgements) process.stdout.write(`judged ${j.judgement} with ${j.otherReference} by ${line(j.decidedBy)} ${j.decidedAt}${j.superseded ? ' (superseded)' : ''}: ${line(j.reason)}\n`);
      }
      return;
    }
    case 'stats': {
      const stats = storeStats(core.store.db);
      if (opts.json) print(stats);
      else process.stdout.write(`${stats.allegations} allegations, ${stats.subjects} subjects, ${stats.notes} notes, ${stats.attachments} attachments\n`);
      return;
    }
    case 'mi': {
      try {
        const out = await miCommand(core, { ...opts, pdf: opts.pdf ? resolve(cwd, opts.pdf) : undefined }, (done, total) => process.stderr.write(`\rbringing MI facts up to date: ${done}/${total}${done === total ? '\n' : ''}`));
        process.stdout.write(`${out}\n`);
      } catch (error) {
        if (error instanceof MiUsageError) throw new CliError(error.message);
        throw error;
      }
      return;
    }
    case 'queue':
      return queueCommand(core, opts);
    case 'source': {
      const ref = args[0];
      if (!ref) throw new UsageError('which allegation? ims source IMS-2026-000123 --as USER --reason "…"');
      if (!opts.reason || opts.reason.trim().length < 5) throw new UsageError('say why you need to see it: --reason "…" (at least 5 characters)');
      // On a desk of a central server, signed in there: details another desk sealed open with a key it releases.
      const who = await signInForKeys(core, opts.as, 'source');
      let paneView;
      try {
        if (who.notice) process.stderr.write(`${block(who.notice)}\n`);
        const id = findAllegationId(core.store.db, { reference: ref.trim().toUpperCase() });
        if (!id) throw new CliError(`no allegation ${ref}`);
        paneView = await openSource(core, who.user, id, opts.reason.trim(), who.caller);
      } finally {
        await who.end();
      }
      if (opts.json) print(paneView);
      else process.stdout.write(`${paneView.reference} source (audit entry ${paneView.auditEntry})\n${Object.entries(paneView.details).filter(([, v]) => v).map(([k, v]) => `  ${k}: ${line(String(v))}`).join('\n')}\n`);
      return;
    }
    case 'nsu':
      return nsuCommand(core, args, opts);
    case 'export': {
      const ref = args[0];
      if (!ref) throw new UsageError('which allegation? ims export IMS-2026-000123 --as USER');
      const user = await signInAs(core, opts.as, 'export');
      const id = findAllegationId(core.store.db, { reference: ref.trim().toUpperCase() });
      if (!id) throw new CliError(`no allegation ${ref}`);
      const report = intelligenceReport(core, user, id);
      if (opts.json) print(report);
      else process.stdout.write(reportText({ ...report, sections: report.sections.map((sec) => ({ ...sec, lines: sec.lines.map(block) })) }));
      return;
    }
    case 'vault': {
      if (args[0] === 'status') {
        const status = core.vault.status();
        if (opts.json) print(status);
        else process.stdout.write(`vault ${status.unlocked ? 'unlocked' : 'locked'}, key ${status.keyId}\n`);
        return;
      }
      if (args[0] === 'rotate') {
        const passphrase = process.env.IMS_NEW_PASSPHRASE ?? (process.stdin.isTTY ? await readSecret('New vault passphrase: ') : undefined);
        if (!passphrase) throw new CliError('give the new passphrase in IMS_NEW_PASSPHRASE or at the prompt');
        const result = await core.vault.rotate({ kind: 'passphrase', passphrase }, { userId: null, name: actorName('vault rotate') });
        print(result);
        return;
      }
      throw new UsageError('usage: ims vault status|rotate');
    }
    case 'users':
      return usersCommand(core, args, opts);
    case 'attach':
    case 'ocr-status':
    case 'ocr-retry':
      return attachmentCommand(core, command, args, opts, cwd);
    case 'audit': {
      if (args[0] !== 'verify') throw new UsageError('usage: ims audit verify [--json]');
      const result = await verifyAuditTrailWithServer(core);
      if (opts.json) print(result);
      else {
        const from = result.keyedFrom ?? 1;
        const keyed = from > 1 ? ` (keyed from entry ${from}; the ${from - 1} before it hashed, pinned by it)` : '';
        const cs = result.countersigned;
        const server = result.server === 'offline' ? ' (the server could not be reached: checked against the countersignatures held here)' : '';
        const countersigned = cs ? `; holds entry ${cs.seq} as the server countersigned it (server audit entry ${cs.serverAuditSeq})${server}` : result.server === 'alone' ? '' : '; the server has countersigned no head yet';
        process.stdout.write(result.ok ? `audit chain intact: ${result.entries} entries, head signed${keyed}${countersigned}\n` : `audit chain BROKEN at entry ${result.firstBadSeq}: ${result.problem}\n`);
      }
      if (!result.ok) throw new CliError(`the audit chain is broken at entry ${result.firstBadSeq}: ${result.problem}`);
      return;
    }
    default:
      throw new UsageError(`unknown command ${command}\n${USAGE}`);
  }
}

function queueCommand(core: Core, opts: Options): void {
  const unit = opts.unit?.toUpperCase();
  if (unit && !unitByCode(unit)) throw new UsageError(`unknown unit ${opts.unit}; units: ${UNIT_CODES.join(', ')}`);
  let result;
  if (opts.role) {
    if (opts.role !== 'duty-manager' && opts.role !== 'duty_manager') throw new UsageError('--role takes duty-manager (the time-critical queue)');
    result = { view: 'time_critical', unit: unit ?? null, ...queueRows(core.store.db, { unit: unit ?? null, statuses: BUCKETS.all_open.statuses, timeCriticalOnly: true, limit: 100_000 }) };
  } else {
    if (!unit) throw new UsageError('which queue? ims queue --unit WMID (or --role duty-manager)');
    const bucket = (opts.bucket ?? 'all_open') as QueueBucket;
    if (!(bucket in BUCKETS)) throw new UsageError(`--bucket must be one of ${Object.keys(BUCKETS).join(', ')}`);
    result = { view: 'unit', unit, bucket, ...queueRows(core.store.db, { unit, ...BUCKETS[bucket], limit: 100_000 }) };
  }
  if (opts.json) print(result);
  else {
    process.stdout.write(`${result.total} allegations\n`);
    for (const r of result.rows) process.stdout.write(`${r.reference}  ${r.timeCritical ? 'TIME-CRITICAL ' : ''}due ${r.dueAt ?? '-'}  ${r.status}  ${line(r.mainSubject)}\n`);
  }
}

async function nsuCommand(core: Core, args: string[], opts: Options): Promise<void> {
  if (args[0] === 'referrers') {
    const groups = referrerGroups(core);
    if (opts.json) print({ groups: groups.length, allegations: groups.reduce((n, g) => n + g.count, 0), items: groups });
    else for (const g of groups) process.stdout.write(`${g.count} referrals ${g.firstAt.slice(0, 10)}..${g.lastAt.slice(0, 10)} ${g.allegations.map((a) => a.reference).join(' ')}${g.indicators.length ? `  [${g.indicators.map((i) => i.kind).join(', ')}]` : ''}\n`);
    return;
  }
  if (args[0] === 'reveal') {
    const group = args[1];
    if (!group) throw new UsageError('which group? ims nsu reveal GROUP --as USER --reason "…"');
    if (!opts.reason || opts.reason.trim().length < 5) throw new UsageError('say why: --reason "…"');
    // On a desk of a central server, signed in there: referrals sealed at other desks open with keys it releases.
    const who = await signInForKeys(core, opts.as, 'nsu reveal');
    let out;
    try {
      if (who.notice) process.stderr.write(`${block(who.notice)}\n`);
      out = await revealGroup(core, who.user, group, opts.reason.trim(), who.caller);
    } finally {
      await who.end();
    }
    if (opts.json) print(out);
    else for (const r of out) process.stdout.write(`${r.reference}  ${line(r.details.name)}  ${line(r.details.phone)}  ${line(r.details.email)}\n`);
    return;
  }
  throw new UsageError('usage: ims nsu referrers|reveal');
}

