// `ims`: the desk without a window, over the same core. Output is JSON on stdout (with --json, and always for
// import); errors are one clear line on stderr and a non-zero exit.
import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { Core } from './core/core.ts';
import { defaultProfileDir } from './core/profile.ts';
import { importJsonl } from './core/import.ts';
import { findAllegationId, readAllegation } from './store/allegations.ts';
import { storeStats } from './core/stats.ts';
import { QuerySyntaxError } from '../shared/search-query.ts';
import { filtersFromPairs, searchFilters } from '../shared/search-filters.ts';
import { hitsToCsv } from './search/csv.ts';
import { createUser } from './core/users.ts';
import { ROLES, type Role } from '../shared/domain.ts';
import { ApiError } from '../shared/errors.ts';
import { newUser } from '../shared/api/auth.ts';
import { describeIssues } from '../shared/schemas/submission.ts';
import { formatRecordText } from './cli/format.ts';
import { readSecret } from './cli/secret.ts';

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
  stats [--json]               counts over the store
  users add --username U --name "Full Name" --role ROLE [--unit UNIT]
                               add a local account (password from IMS_NEW_PASSWORD or a prompt)
  users list [--json]          local accounts
  audit verify [--json]        check the audit log's hash chain

Options:
  --profile DIR                the data folder (default: IMS_PROFILE or ${defaultProfileDir()})
  --json                       machine-readable output
  --limit N                    (search) at most N results (default 20; with --csv up to 10000)
  -h, --help                   this help`;

export class CliError extends Error {}

function actorName(command: string): string {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // no user database entry (containers): keep "unknown"
  }
  return `ims ${command} (${who})`;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        profile: { type: 'string' },
        json: { type: 'boolean', default: false },
        limit: { type: 'string' },
        username: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        unit: { type: 'string' },
        filter: { type: 'string', multiple: true },
        csv: { type: 'boolean', default: false },
        bulk: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`ims: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  // Under `npm run ims -- …` the working directory is the package root; paths are meant from where npm was run.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const profile = resolve(cwd, values.profile ?? defaultProfileDir());
  let core: Core | null = null;
  try {
    core = Core.open(profile);
    await run(core, command, args, values, cwd);
    return 0;
  } catch (error) {
    const message = error instanceof CliError || error instanceof ApiError || error instanceof QuerySyntaxError ? error.message : (error as Error).message;
    process.stderr.write(`ims ${command}: ${message}\n`);
    return 1;
  } finally {
    core?.close();
  }
}

interface Options {
  json?: boolean;
  csv?: boolean;
  bulk?: boolean;
  filter?: string[];
  limit?: string;
  username?: string;
  name?: string;
  role?: string;
  unit?: string;
}

async function run(core: Core, command: string, args: string[], opts: Options, cwd: string): Promise<void> {
  switch (command) {
    case 'import': {
      const file = args[0];
      if (!file) throw new CliError('which file? ims import FILE.jsonl');
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
      for (const e of summary.errors.slice(0, 20)) process.stderr.write(`line ${e.line}${e.reference ? ` (${e.reference})` : ''}: ${e.reason}\n`);
      if (summary.errors.length > 20) process.stderr.write(`… and ${summary.errors.length - 20} more (all are in the JSON summary)\n`);
      print(summary);
      return;
    }
    case 'show': {
      const ref = args[0];
      if (!ref) throw new CliError('which allegation? ims show IMS-2026-000123');
      const id = findAllegationId(core.store.db, { reference: ref.trim().toUpperCase() });
      const record = id ? readAllegation(core.store.db, id) : null;
      if (!record) throw new CliError(`no allegation ${ref} in ${core.store.profileDir}`);
      if (opts.json) print(record);
      else process.stdout.write(formatRecordText(record));
      return;
    }
    case 'search': {
      const q = args.join(' ');
      const parsedFilters = searchFilters.safeParse(filtersFromPairs(opts.filter ?? []));
      if (!parsedFilters.success) throw new CliError(describeIssues(parsedFilters.error));
      const filters = Object.keys(parsedFilters.data).length ? parsedFilters.data : undefined;
      if (!q.trim() && !filters) throw new CliError('what to search for? ims search "flight TK2584" [--filter postcode=N13]');
      const limit = opts.limit ? Number(opts.limit) : opts.csv ? 1000 : 20;
      const max = opts.csv ? 10_000 : 500;
      if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new CliError(`--limit must be a whole number from 1 to ${max}`);
      const started = performance.now();
      const result = core.search.search({ q, filters, limit });
      const tookMs = Math.round((performance.now() - started) * 10) / 10;
      if (opts.csv) {
        process.stdout.write(hitsToCsv(result.hits));
        return;
      }
      const out = { query: q, filters: filters ?? {}, total: result.total, totalIsLowerBound: result.totalIsLowerBound, readAs: result.readAs, pending: result.pending, tookMs, hits: result.hits };
      if (opts.json) print(out);
      else {
        process.stdout.write(`${out.total}${out.totalIsLowerBound ? '+' : ''} allegations match (${out.tookMs} ms)\n`);
        for (const line of out.readAs) process.stdout.write(`  read as: ${line}\n`);
        for (const h of out.hits) {
          const where = h.matches.map((m) => (m.place.kind === 'attachment' ? `${m.place.fileName}${m.place.page ? ` p.${m.place.page}` : ''}` : m.place.kind === 'note' ? `note ${m.place.date}` : m.place.field)).join(', ');
          process.stdout.write(`${h.reference}  ${h.mainSubject || '(no subject)'}  ${h.tier}${h.why.length ? ` (${h.why.join('; ')})` : ''}  [${where}]\n    ${h.matches[0]?.snippet.replace(/[\u0002\u0003]/g, '') ?? ''}\n`);
        }
      }
      return;
    }
    case 'reindex': {
      const tty = process.stderr.isTTY;
      const result = await core.search.rebuild((p) => {
        if (tty) process.stderr.write(`\rindexing ${p.done} of ${p.total} allegations (${Math.round((100 * p.done) / Math.max(1, p.total))}%) `);
        else if (p.done === p.total || p.done % 10_000 === 0) process.stderr.write(`indexed ${p.done} of ${p.total}\n`);
      });
      if (tty) process.stderr.write('\n');
      if (opts.json) print(result);
      else process.stdout.write(`search index rebuilt: ${result.allegations} allegations in ${result.seconds} s\n`);
      return;
    }
    case 'stats': {
      const stats = storeStats(core.store.db);
      if (opts.json) print(stats);
      else process.stdout.write(`${stats.allegations} allegations, ${stats.subjects} subjects, ${stats.notes} notes, ${stats.attachments} attachments\n`);
      return;
    }
    case 'users':
      return usersCommand(core, args, opts);
    case 'audit': {
      if (args[0] !== 'verify') throw new CliError('usage: ims audit verify [--json]');
      const result = core.store.audit.verify();
      if (opts.json) print(result);
      else process.stdout.write(result.ok ? `audit chain intact: ${result.entries} entries\n` : `audit chain BROKEN at entry ${result.firstBadSeq}: ${result.problem}\n`);
      if (!result.ok) throw new CliError(`the audit chain is broken at entry ${result.firstBadSeq}: ${result.problem}`);
      return;
    }
    default:
      throw new CliError(`unknown command ${command}\n${USAGE}`);
  }
}

async function usersCommand(core: Core, args: string[], opts: Options): Promise<void> {
  const sub = args[0];
  if (sub === 'list') {
    const rows = core.store.db.prepare('SELECT username, display_name AS displayName, role, unit_code AS unit, active FROM users ORDER BY username').all();
    if (opts.json) print(rows);
    else for (const r of rows as Array<Record<string, unknown>>) process.stdout.write(`${r.username}\t${r.role}\t${r.unit ?? '-'}\t${r.displayName}${r.active ? '' : ' (disabled)'}\n`);
    return;
  }
  if (sub === 'add') {
    if (!opts.role || !ROLES.includes(opts.role as Role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}`);
    const password = process.env.IMS_NEW_PASSWORD ?? (await readSecret(`Password for ${opts.username ?? 'the new user'}: `));
    const input = newUser.safeParse({ username: opts.username, displayName: opts.name ?? opts.username, role: opts.role, unit: opts.unit ?? null, password });
    if (!input.success) throw new CliError(describeIssues(input.error));
    const user = await createUser(core.store, { userId: null, name: actorName('users add') }, input.data);
    if (opts.json) print(user);
    else process.stdout.write(`added ${user.username} (${user.role}${user.unit ? `, ${user.unit}` : ''})\n`);
    return;
  }
  throw new CliError('usage: ims users add|list');
}
