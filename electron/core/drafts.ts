// Drafts: the electronic form autosaves while it is typed, so closing the window mid-form loses nothing.
// A draft belongs to the person typing it. What they typed into the restricted source section is kept apart
// from the rest (and is never written to the change log or the audit log).
import type { HasStore, HasVault } from './deps.ts';

/** What this module needs of the core. */
export type DraftsDeps = HasStore & HasVault;
import type { UserRow } from './users.ts';
import { prepared } from '../store/db.ts';
import { SEALED_FORMAT } from '../store/allegation-write.ts';
import { ApiError } from '../../shared/api/errors.ts';

/** A draft is whatever the form held, even half-typed: it is checked when saved as an allegation, not before. */
const MAX_DRAFT_BYTES = 2 * 1024 * 1024;

function splitSource(form: unknown): { rest: unknown; source: unknown } {
  if (form && typeof form === 'object' && 'source' in form) {
    const { source, ...rest } = form as Record<string, unknown>;
    return { rest, source };
  }
  return { rest: form, source: null };
}

/** The draft's stored JSON: the form, and (keying from a scan) the scan it is keyed from, so resuming keeps it. */
interface DraftData {
  form: unknown;
  scanId: string | null;
}

function readData(data: string): DraftData {
  const parsed = JSON.parse(data) as Record<string, unknown>;
  // Drafts stored before scans were kept beside the form are the form itself.
  if (parsed && typeof parsed === 'object' && 'form' in parsed && 'scanId' in parsed) return { form: parsed.form, scanId: (parsed.scanId as string | null) ?? null };
  return { form: parsed, scanId: null };
}

export function saveDraft(core: DraftsDeps, user: UserRow, input: { id?: string | undefined; allegationId: string | null; form: unknown; scanId?: string | null | undefined }): { id: string; updatedAt: string } {
  const { rest, source } = splitSource(input.form);
  const data = JSON.stringify(input.scanId ? { form: rest ?? {}, scanId: input.scanId } : (rest ?? {}));
  if (data.length > MAX_DRAFT_BYTES) throw new ApiError('bad_request', 'The form is too large to save as a draft');
  const hasSource = source && typeof source === 'object' && Object.values(source as Record<string, unknown>).some((v) => typeof v === 'string' && v.trim());
  // What was typed into the restricted section is sealed like any source detail (the vault must be unlocked).
  const sourceFor = (id: string) => (hasSource ? core.vault.sealJson('drafts', `draft:${id}`, source) : null);
  const now = core.store.now().toISOString();
  const db = core.store.db;
  if (input.id) {
    const existing = prepared(db, 'SELECT user_id FROM drafts WHERE id = ?').get(input.id) as { user_id: string } | undefined;
    if (existing && existing.user_id !== user.id) throw new ApiError('forbidden', 'That draft belongs to someone else');
    if (existing) {
      const sealed = sourceFor(input.id);
      prepared(db, 'UPDATE drafts SET data = ?, source_format = ?, source_payload = ?, updated_at = ? WHERE id = ?').run(data, sealed ? SEALED_FORMAT : null, sealed, now, input.id);
      return { id: input.id, updatedAt: now };
    }
  }
  const id = input.id ?? core.store.newId();
  const sealed = sourceFor(id);
  prepared(db, 'INSERT INTO drafts (id, user_id, allegation_id, data, source_format, source_payload, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    id,
    user.id,
    input.allegationId,
    data,
    sealed ? SEALED_FORMAT : null,
    sealed,
    now,
    now,
  );
  return { id, updatedAt: now };
}

interface DraftRow {
  id: string;
  user_id: string;
  allegation_id: string | null;
  data: string;
  source_format: string | null;
  source_payload: Buffer | null;
  updated_at: string;
}

export function getDraft(core: DraftsDeps, user: UserRow, id: string): { id: string; allegationId: string | null; form: unknown; updatedAt: string; scanId: string | null } {
  const row = prepared(core.store.db, 'SELECT * FROM drafts WHERE id = ?').get(id) as DraftRow | undefined;
  if (!row || row.user_id !== user.id) throw new ApiError('not_found', 'No such draft (it may have been saved as an allegation already)');
  const { form: stored, scanId } = readData(row.data);
  const form = (stored ?? {}) as Record<string, unknown>;
  if (row.source_payload && row.source_format) form.source = core.vault.openJson('drafts', `draft:${row.id}`, row.source_payload, row.source_format);
  return { id: row.id, allegationId: row.allegation_id, form, updatedAt: row.updated_at, scanId };
}

export function listDrafts(core: DraftsDeps, user: UserRow) {
  const rows = prepared(
    core.store.db,
    'SELECT d.id, d.allegation_id, d.data, d.updated_at, a.reference FROM drafts d LEFT JOIN allegations a ON a.id = d.allegation_id WHERE d.user_id = ? ORDER BY d.updated_at DESC',
  ).all(user.id) as Array<{ id: string; allegation_id: string | null; data: string; updated_at: string; reference: string | null }>;
  return rows.map((r) => {
    const { form: stored, scanId } = readData(r.data);
    const form = (stored ?? {}) as { channel?: string; freeText?: string; subjects?: Array<{ forename?: string; surname?: string }> };
    const subject = form.subjects?.[0];
    const who = subject ? [subject.forename, subject.surname].filter(Boolean).join(' ') : '';
    const text = (form.freeText ?? '').trim().slice(0, 80);
    return {
      id: r.id,
      allegationId: r.allegation_id,
      scanId,
      reference: r.reference,
      summary: [r.reference ? `Amending ${r.reference}` : `New ${form.channel?.replace('_', ' ') ?? 'allegation'}${scanId ? ' from a scan' : ''}`, who, text].filter(Boolean).join(' · ') || 'Empty form',
      updatedAt: r.updated_at,
    };
  });
}

export function discardDraft(core: DraftsDeps, user: UserRow, id: string): void {
  const info = prepared(core.store.db, 'DELETE FROM drafts WHERE id = ? AND user_id = ?').run(id, user.id);
  if (info.changes === 0) throw new ApiError('not_found', 'No such draft');
}
