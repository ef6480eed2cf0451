// Sanitised output: before a record leaves the desk as a report, every text in it is checked again against the
// sealed source details (a note typed since intake may have named the reporter), so the report can only carry
// the allegation reference, never the source's identity.
import type { HasStore, HasVault } from './deps.ts';

/** What this module needs of the core. */
export type ReportDeps = HasStore & HasVault;
import type { UserRow } from './users.ts';
import { actorFor } from './access.ts';
import { readAllegation } from '../store/allegations.ts';
import { readSourceForCore } from '../store/allegation-write.ts';
import { redactSource } from '../../shared/sources/redact.ts';
import { buildReport, type IntelligenceReport } from '../../shared/domain/report.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { AllegationRecord } from '../../shared/schemas/record.ts';

export function sanitisedRecord(core: ReportDeps, id: string): AllegationRecord {
  const record = readAllegation(core.store.db, id);
  if (!record) throw new ApiError('not_found', 'No such allegation');
  if (!record.hasSource) return record;
  if (!core.vault.unlocked) throw new ApiError('unavailable', 'The vault is locked, so the report cannot be checked for source details: unlock it to export');
  const source = readSourceForCore(core.store.db, core.vault, id);
  if (!source) return record;
  const clean = (t: string) => redactSource(t, source).text;
  return {
    ...record,
    freeText: clean(record.freeText),
    notes: record.notes.map((n) => ({ ...n, text: clean(n.text) })),
    attachments: record.attachments.map((a) => ({ ...a, legacyText: clean(a.legacyText) })),
  };
}

export function intelligenceReport(core: ReportDeps, user: UserRow, id: string): IntelligenceReport {
  const record = sanitisedRecord(core, id);
  core.store.audit.record({ at: core.store.now().toISOString(), userId: user.id, actor: actorFor(user).name, action: 'allegation.report', entity: 'allegation', entityId: id, allegationId: id, details: { reference: record.reference } });
  return buildReport(record, core.store.now().toISOString(), user.display_name);
}
