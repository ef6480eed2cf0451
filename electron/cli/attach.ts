// `ims attach`, `ims ocr-status`, `ims ocr-retry`: attachments from the command line. With --wait the file is
// read now, progress on stderr; reading that fails, even on one page, exits 1 with a sentence saying so.
import { resolve } from 'node:path';
import type { Core } from '../core/core.ts';
import { findAllegationId, readAllegation } from '../store/allegations.ts';
import { actorName, CliError, EXIT, print, UsageError, type Options } from './common.ts';
import { line } from './format.ts';

function allegationByRef(core: Core, ref: string | undefined, usage: string): string {
  if (!ref) throw new UsageError(`which allegation? ${usage}`);
  const id = findAllegationId(core.store.db, { reference: ref.trim().toUpperCase() });
  if (!id) throw new CliError(`no allegation ${line(ref)} in ${core.store.profileDir}`);
  return id;
}

/** Prints each page as it is read, on stderr, until the attachments given have no work left. */
async function readWithProgress(core: Core, ids: string[]): Promise<void> {
  const off = core.on((e) => {
    if (e.type !== 'attachment.progress' || !ids.includes(e.attachmentId)) return;
    const name = line(e.fileName);
    if (e.stage === 'started') process.stderr.write(`${name}: ${e.pageCount} page${e.pageCount === 1 ? '' : 's'}\n`);
    if (e.stage === 'page') process.stderr.write(`${name}: page ${e.page} ${e.pagesDone + e.pagesFailed}/${e.pageCount} (${e.pagesFailed} failed)\n`);
    if (e.stage === 'finished') process.stderr.write(`${name}: ${e.status}\n`);
    if (e.stage === 'sanitised') process.stderr.write(`${name}: sanitised copy made (the scan reveals its writer)\n`);
  });
  try {
    for (const id of ids) await core.attachments.whenIdle(id);
    // And whatever else the reading took up from the queue (an entry a killed run left behind, even for a scan it had
    // finished): the command must not end half-way through reading it, leaving it "running".
    await core.attachments.whenIdle();
  } finally {
    off();
  }
}

/** When a store fault (a full disk) stopped reading, the exit status (its sentence was said as it happened). */
function readingStopped(core: Core): number | null {
  return core.attachments.reading.stopped() ? EXIT.failed : null;
}

function ocrStatus(core: Core, allegationId: string) {
  const reference = readAllegation(core.store.db, allegationId)?.reference;
  const attachments = core.attachments.list(allegationId).map((a) => {
    const pages = (core.store.db.prepare('SELECT page_no AS page, status, method, confidence, error, length(text) AS chars FROM attachment_pages WHERE attachment_id = ? ORDER BY page_no').all(a.id)) as Array<Record<string, unknown>>;
    return { ...a, pageStatus: pages };
  });
  return { reference, attachments };
}

/**
 * After --wait: a sentence on stderr for each attachment whose reading failed, and the exit status: reading
 * that failed, even on one page, is not success (the JSON on stdout has every page's outcome).
 */
function readingOutcome(reference: string | undefined, attachments: ReturnType<typeof ocrStatus>['attachments']): number {
  let status: number = EXIT.ok;
  for (const a of attachments) {
    if (a.ocrStatus !== 'failed' && a.ocrStatus !== 'pending' && a.ocrStatus !== 'running') continue;
    status = EXIT.failed;
    const name = line(a.fileName);
    if (a.ocrStatus !== 'failed') process.stderr.write(`${name} was not read (it is still ${a.ocrStatus})\n`);
    else if (a.pagesFailed === 0 || a.pagesDone === 0) {
      const why = a.error?.message ?? a.pageStatus.find((p) => p.status === 'failed')?.error;
      process.stderr.write(`${name} could not be read${why ? `: ${line(String(why))}` : ''}\n`);
    } else {
      process.stderr.write(`${name}: ${a.pagesFailed} of ${a.pages} pages could not be read; the other pages were read and can be searched. ims ocr-retry ${line(reference)} tries the failed pages again\n`);
    }
  }
  return status;
}

export async function attachmentCommand(core: Core, command: string, args: string[], opts: Options, cwd: string): Promise<number> {
  const actor = { userId: null, name: actorName(command) };
  if (command === 'attach') {
    const id = allegationByRef(core, args[0], 'ims attach IMS-2026-000123 scan.tif [--wait]');
    const file = args[1];
    if (!file) throw new UsageError('which file? ims attach REF FILE [--wait]');
    const result = await core.attachments.attachFile(actor, id, resolve(cwd, file), undefined, { read: opts.wait ?? false });
    const name = line(result.attachment.fileName);
    if (result.alreadyAttached && !result.resumed) process.stderr.write(`${name} is already attached to ${line(args[0])} (the same file)\n`);
    // Attached again where reading never finished (a desk killed mid-attach, a full disk): it carries on.
    else if (result.resumed) process.stderr.write(`${name} is already attached to ${line(args[0])}; its reading had not finished and ${opts.wait ? 'carries on now' : 'carries on when IMS Desk next runs on this profile (or use --wait to read it now)'}\n`);
    else if (!opts.wait) process.stderr.write('Attached; IMS Desk reads it when it next runs on this profile (or use --wait to read it now)\n');
    if (opts.wait && (result.resumed || !result.alreadyAttached)) await readWithProgress(core, [result.attachment.id]);
    const status = ocrStatus(core, id);
    const attachment = status.attachments.find((a) => a.id === result.attachment.id);
    print({ alreadyAttached: result.alreadyAttached, resumed: result.resumed, attachment });
    if (!opts.wait) return EXIT.ok;
    return readingStopped(core) ?? (attachment ? readingOutcome(status.reference, [attachment]) : EXIT.ok);
  }
  if (command === 'ocr-status') {
    const id = allegationByRef(core, args[0], 'ims ocr-status IMS-2026-000123 [--json]');
    const status = ocrStatus(core, id);
    if (opts.json) print(status);
    else {
      for (const a of status.attachments) {
        process.stdout.write(`${line(a.fileName)}  ${a.ocrStatus}  ${a.pagesDone}/${a.pages} pages read${a.pagesFailed ? `, ${a.pagesFailed} failed` : ''}${a.revealsSource ? '  [reveals its writer]' : ''}${a.error ? `  ${line(a.error.message)}` : ''}\n`);
        for (const p of a.pageStatus) if (p.status === 'failed') process.stdout.write(`    page ${String(p.page)}: ${line(String(p.error))}\n`);
      }
    }
    return EXIT.ok;
  }
  // ocr-retry
  const id = allegationByRef(core, args[0], 'ims ocr-retry IMS-2026-000123 [--attachment ID] [--page N] [--wait]');
  const page = opts.page ? Number(opts.page) : undefined;
  if (page !== undefined && !(Number.isInteger(page) && page >= 1)) throw new UsageError('--page must be a page number (1 or more)');
  const targets = core.attachments.list(id).filter((a) => a.hasFile && (opts.attachment ? a.id === opts.attachment : page !== undefined || a.ocrStatus === 'failed' || a.ocrStatus === 'pending' || a.ocrStatus === 'running'));
  if (targets.length === 0) throw new CliError(opts.attachment ? `no attachment ${line(opts.attachment)} with a file on ${line(args[0])}` : `nothing to read again on ${line(args[0])}: every attachment has been read`);
  const queued = targets.map((a) => ({ attachmentId: a.id, fileName: a.fileName, pages: core.attachments.retry({ user: null, name: actor.name }, a.id, page ? [page] : undefined, { read: opts.wait ?? false }).queued }));
  if (!opts.wait) process.stderr.write('Marked to be read again; IMS Desk reads them when it next runs on this profile (or use --wait)\n');
  if (!opts.wait) {
    print({ queued });
    return EXIT.ok;
  }
  await readWithProgress(core, targets.map((a) => a.id));
  const status = ocrStatus(core, id);
  print({ queued, status });
  return readingStopped(core) ?? readingOutcome(status.reference, status.attachments.filter((a) => targets.some((t) => t.id === a.id)));
}

