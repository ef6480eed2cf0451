// `ims attach`, `ims ocr-status`, `ims ocr-retry` and `ims search` over a real profile: a fax attached from the
// command line is read page by page (progress on stderr, JSON on stdout), and a word only on its page 2 is found
// with its page number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { STORE_FILE } from '../../electron/store/db.ts';
import { createAllegation } from '../../electron/core/cases.ts';
import { findUserByName } from '../../electron/core/users.ts';
import { emptyForm } from '../../shared/schemas/form.ts';
import { addUser, openCore, ROOT, tempDir, TEST_PASSPHRASE } from '../helpers.ts';
import { FAX, FUNSD } from '../scan-maker.ts';

const IMS = join(ROOT, 'bin', 'ims.js');
const tmp = tempDir('ims-attach-cli-');
const profile = join(tmp.dir, 'profile');
let reference: string;

function ims(...args: string[]) {
  const r = spawnSync(process.execPath, [IMS, ...args, '--profile', profile], { encoding: 'utf8', env: { ...process.env, IMS_PASSPHRASE: TEST_PASSPHRASE } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  const core = await openCore(profile);
  await addUser(core, 'nat.sifter', 'sifter', 'NAT');
  const created = createAllegation(core, findUserByName(core.store, 'nat.sifter')!, {
    ...emptyForm(new Date(Date.now() - 3_600_000), 'fax'),
    offenceTypes: ['illegal_working'],
    freeText: 'Fax about a car wash employing men with no papers.',
  });
  reference = created.reference;
  core.close();
});
afterAll(() => tmp.cleanup());

describe('attachments from the command line', () => {
  it('attaches a fax and reads it with --wait: progress on stderr, the result as JSON', () => {
    const r = ims('attach', reference, FAX, '--wait');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/fax-fine-g4-3pages\.tif: 3 pages/);
    expect(r.stderr).toMatch(/page \d 3\/3 \(0 failed\)/);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ alreadyAttached: false, attachment: { fileName: 'fax-fine-g4-3pages.tif', ocrStatus: 'done', pages: 3, pagesDone: 3 } });
    expect(out.attachment.pageStatus.map((p: { status: string }) => p.status)).toEqual(['done', 'done', 'done']);
  });

  it('finds a word that is only on page 2 of the fax, with its page number', () => {
    const r = ims('search', 'RESTRICTED', '--json');
    expect(r.code, r.stderr).toBe(0);
    const hit = JSON.parse(r.stdout).hits.find((h: { reference: string }) => h.reference === reference);
    expect(hit.matches[0].place).toMatchObject({ kind: 'attachment', fileName: 'fax-fine-g4-3pages.tif', page: 2 });
    expect(ims('search', 'RESTRICTED').stdout).toContain('fax-fine-g4-3pages.tif p.2');
  });

  it('attaches without reading when not asked to wait, and ocr-retry reads it', () => {
    const r = ims('attach', reference, join(FUNSD, '0000971160.png'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/IMS Desk reads it when it next runs/);
    expect(JSON.parse(r.stdout).attachment).toMatchObject({ ocrStatus: 'pending', pagesDone: 0 });
    const status = JSON.parse(ims('ocr-status', reference, '--json').stdout);
    expect(status.attachments.map((a: { ocrStatus: string }) => a.ocrStatus)).toEqual(['done', 'pending']);
    const retry = ims('ocr-retry', reference, '--wait');
    expect(retry.code, retry.stderr).toBe(0);
    expect(JSON.parse(retry.stdout).status.attachments.map((a: { ocrStatus: string }) => a.ocrStatus)).toEqual(['done', 'done']);
    expect(ims('ocr-status', reference).stdout).toMatch(/0000971160\.png {2}done {2}1\/1 pages read/);
  });

  it('ocr-retry --wait finishes what it takes up from the queue, even a scan read already whose entry a killed run left', () => {
    // A run killed after marking a scan read but before taking it off the queue leaves its entry behind: here both
    // scans read so far (four pages), queued after the one-page scan the retry is for, so that it is read first.
    const db = new Database(join(profile, STORE_FILE));
    try {
      db.prepare("INSERT INTO ocr_queue (attachment_id, seq, pages, queued_at) SELECT id, 1, NULL, '9999-12-31T00:00:00.000Z' FROM attachments WHERE ocr_status = 'done'").run();
    } finally {
      db.close();
    }
    expect(ims('attach', reference, join(FUNSD, '0000989556.png')).code).toBe(0);
    const retry = ims('ocr-retry', reference, '--wait');
    expect(retry.code, retry.stderr).toBe(0);
    const status = JSON.parse(ims('ocr-status', reference, '--json').stdout);
    expect(status.attachments.map((a: { ocrStatus: string }) => a.ocrStatus)).toEqual(['done', 'done', 'done']);
    const left = new Database(join(profile, STORE_FILE), { readonly: true });
    try {
      expect(left.prepare('SELECT count(*) FROM ocr_queue').pluck().get()).toBe(0);
    } finally {
      left.close();
    }
  });

  it('says clearly why a file cannot be attached', () => {
    const empty = join(tmp.dir, 'empty.pdf');
    writeFileSync(empty, '');
    expect(ims('attach', reference, empty)).toMatchObject({ code: 1, stderr: 'ims attach: empty.pdf is empty (0 bytes): there is nothing to attach\n' });
    expect(ims('attach', reference, join(tmp.dir, 'nowhere.pdf')).stderr).toMatch(/^ims attach: nowhere\.pdf cannot be read: ENOENT/);
    expect(ims('attach', 'IMS-2026-999999', FAX).stderr).toMatch(/no allegation IMS-2026-999999/);
    expect(ims('ocr-retry', reference)).toMatchObject({ code: 1, stderr: expect.stringMatching(/nothing to read again/) });
  });
});
