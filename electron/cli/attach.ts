// `ims attach`, `ims ocr-status`, `ims ocr-retry`: attachments from the command line, read now (--wait, with
// progress on stderr) or by the desk when it next runs.
import { resolve } from 'node:path';
import type { Core } from '../core/core.ts';
import { findAllegationId, readAllegation } from '../store/allegations.ts';
import { actorName, CliError, print, type Options } from './common.ts';

function allegationByRef(core: Core, ref: string | undefined, usage: string): string {
  if (!ref) throw new CliError(`which allegation? ${usage}`);
  const id = findAllegationId(core.store.db, { reference: ref.trim().toUpperCase() });
  if (!id) throw new CliError(`no allegation ${ref} in ${core.store.profileDir}`);
  return id;
}

/** Prints each page as it is read, on stderr, until the attachments given have no work left. */
async function readWithProgress(core: Core, ids: string[]): Promise<void> {
  const off = core.on((e) => {
    if (e.type !== 'attachment.progress' || !ids.includes(e.attachmentId)) return;
    if (e.stage === 'started') process.stderr.write(`${e.fileName}: ${e.pageCount} page${e.pageCount === 1 ? '' : 's'}\n`);
    if (e.stage === 'page') process.stderr.write(`${e.fileName}: page ${e.page} ${e.pagesDone + e.pagesFailed}/${e.pageCount} (${e.pagesFailed} failed)\n`);
    if (e.stage === 'finished') process.stderr.write(`${e.fileName}: ${e.status}\n`);
    if (e.stage === 'sanitised') process.stderr.write(`${e.fileName}: sanitised copy made (the scan reveals its writer)\n`);
  });
  try {
    for (const id of ids) await core.attachments.whenIdle(id);
  } finally {
    off();
  }
}

function ocrStatus(core: Core, allegationId: string) {
  const reference = readAllegation(core.store.db, allegationId)?.reference;
  const attachments = core.attachments.list(allegationId).map((a) => {
    const pages = (core.store.db.prepare('SELECT page_no AS page, status, method, confidence, error, length(text) AS chars FROM attachment_pages WHERE attachment_id = ? ORDER BY page_no').all(a.id)) as Array<Record<string, unknown>>;
    return { ...a, pageStatus: pages };
  });
  return { reference, attachments };
}

export async function attachmentCommand(core: Core, command: string, args: string[], opts: Options, cwd: string): Promise<void> {
  const actor = { userId: null, name: actorName(command) };
  if (command === 'attach') {
    const id = allegationByRef(core, args[0], 'ims attach IMS-2026-000123 scan.tif [--wait]');
    const file = args[1];
    if (!file) throw new CliError('which file? ims attach REF FILE [--wait]');
    const result = await core.attachments.attachFile(actor, id, resolve(cwd, file), undefined, { read: opts.wait ?? false });
    if (result.alreadyAttached) process.stderr.write(`${result.attachment.fileName} is already attached to ${args[0]} (the same file)\n`);
    if (opts.wait && !result.alreadyAttached) await readWithProgress(core, [result.attachment.id]);
    else if (!result.alreadyAttached) process.stderr.write('Attached; IMS Desk reads it when it next runs on this profile (or use --wait to read it now)\n');
    const status = ocrStatus(core, id);
    print({ alreadyAttached: result.alreadyAttached, attachment: status.attachments.find((a) => a.id === result.attachment.id) });
    return;
  }
  if (command === 'ocr-status') {
    const id = allegationByRef(core, args[0], 'ims ocr-status IMS-2026-000123 [--json]');
    const status = ocrStatus(core, id);
    if (opts.json) print(status);
    else {
      for (const a of status.attachments) {
        process.stdout.write(`${a.fileName}  ${a.ocrStatus}  ${a.pagesDone}/${a.pages} pages read${a.pagesFailed ? `, ${a.pagesFailed} failed` : ''}${a.revealsSource ? '  [reveals its writer]' : ''}${a.error ? `  ${a.error.message}` : ''}\n`);
        for (const p of a.pageStatus) if (p.status === 'failed') process.stdout.write(`    page ${String(p.page)}: ${String(p.error)}\n`);
      }
    }
    return;
  }
  // ocr-retry
  const id = allegationByRef(core, args[0], 'ims ocr-retry IMS-2026-000123 [--attachment ID] [--page N] [--wait]');
  const page = opts.page ? Number(opts.page) : undefined;
  if (page !== undefined && !(Number.isInteger(page) && page >= 1)) throw new CliError('--page must be a page number (1 or more)');
  const targets = core.attachments.list(id).filter((a) => a.hasFile && (opts.attachment ? a.id === opts.attachment : page !== undefined || a.ocrStatus === 'failed' || a.ocrStatus === 'pending' || a.ocrStatus === 'running'));
  if (targets.length === 0) throw new CliError(opts.attachment ? `no attachment ${opts.attachment} with a file on ${args[0]}` : `nothing to read again on ${args[0]}: every attachment has been read`);
  const queued = targets.map((a) => ({ attachmentId: a.id, fileName: a.fileName, pages: core.attachments.retry({ user: null, name: actor.name }, a.id, page ? [page] : undefined, { read: opts.wait ?? false }).queued }));
  if (!opts.wait) process.stderr.write('Marked to be read again; IMS Desk reads them when it next runs on this profile (or use --wait)\n');
  if (opts.wait) await readWithProgress(core, targets.map((a) => a.id));
  print({ queued, ...(opts.wait ? { status: ocrStatus(core, id) } : {}) });
}

