// The restricted source pane (000 §5.7-5.8). Only staff allocated to the allegation, and the National Source
// Unit, may open it; everyone else learns that a source exists and whom to ask. Opening writes an audit entry
// for the Security and Anti-Corruption Unit before any plaintext leaves the core.
import type { HasStore, HasVault } from './deps.ts';
import type { SyncEngine } from '../sync/engine.ts';
import { keysToOpen, notYetDeposited, type Caller } from './key-release.ts';
import type { Opener } from '../store/allegation-write.ts';

/** What this module needs of the core (sync: to ask the server for keys of details another desk sealed). */
export type SourcesDeps = HasStore & HasVault & { readonly sync: SyncEngine };
import type { UserRow } from './users.ts';
import { actorFor, mayOpenSource } from './access.ts';
import { prepared } from '../store/db.ts';
import { allegationScope, readSourceForCore, SEALED_FORMAT, writeSource, type SourceIdentifiersPayload } from '../store/allegation-write.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { SourceDetails, SourcePane } from '../../shared/api/sources.ts';

/** Staff asking a source to find something out: the mark of a possible CHIS relationship (000 §5.12-5.15). */
const TASKING = /\b(?:(?:can|could|would|will) you (?:find out|get|check|ask|look into|keep an eye|go (?:and|to)|see if|try to|find)|find out (?:more|where|who|when|if|whether|what)|we (?:need|want|would like) you to|keep (?:us|me) (?:posted|informed|updated)|let (?:us|me) know (?:if|when|where|what|who)|report back|get (?:us|me) (?:his|her|their|the)|ask (?:him|her|them) (?:about|where|when|if|whether|for))/i;

export function isTasking(text: string): boolean {
  return TASKING.test(text);
}

interface Allegation {
  id: string;
  reference: string;
  has_source: number;
}

function allegation(core: SourcesDeps, id: string): Allegation {
  const a = prepared(core.store.db, 'SELECT id, reference, has_source FROM allegations WHERE id = ?').get(id) as Allegation | undefined;
  if (!a) throw new ApiError('not_found', 'No such allegation');
  return a;
}

function allocatedNames(core: SourcesDeps, id: string): string[] {
  return (
    prepared(core.store.db, 'SELECT u.display_name FROM allocations l JOIN users u ON u.id = l.user_id WHERE l.allegation_id = ? AND l.ended_at IS NULL ORDER BY l.allocated_at').all(id) as Array<{
      display_name: string;
    }>
  ).map((r) => r.display_name);
}

export function sourceStatus(core: SourcesDeps, user: UserRow, allegationId: string) {
  const a = allegation(core, allegationId);
  const contacts = (prepared(core.store.db, 'SELECT count(*) AS n FROM source_contacts WHERE allegation_id = ?').get(allegationId) as { n: number }).n;
  if (!a.has_source) return { exists: false, canOpen: false, why: 'No source details are recorded for this allegation.', askWho: [], contacts };
  const allocated = allocatedNames(core, allegationId);
  const askWho = [...allocated.map((n) => `${n} (allocated to this case)`), 'the National Source Unit'];
  if (mayOpenSource(core.store.db, user, allegationId)) {
    return { exists: true, canOpen: true, why: user.role === 'nsu' ? 'You are in the National Source Unit.' : 'You are allocated to this case.', askWho, contacts };
  }
  return { exists: true, canOpen: false, why: 'Source details are open only to staff allocated to this case and to the National Source Unit.', askWho, contacts };
}

function requireAccess(core: SourcesDeps, user: UserRow, a: Allegation): void {
  if (!a.has_source) throw new ApiError('not_found', `${a.reference} has no source details`);
  if (!mayOpenSource(core.store.db, user, a.id)) {
    // A refused attempt is itself something SACU should see.
    core.store.audit.record({ at: core.store.now().toISOString(), userId: user.id, actor: actorFor(user).name, action: 'source.open_refused', entity: 'allegation', entityId: a.id, allegationId: a.id, details: {} });
    throw new ApiError('forbidden', `The source pane of ${a.reference} is open only to staff allocated to the case and to the National Source Unit. Ask ${allocatedNames(core, a.id)[0] ?? 'the unit'} or NSU.`);
  }
}

const PART_LABELS: Record<string, string> = { freeText: 'Account, as written' };

/** Opens with this desk's own key, then any the server released for this person (core/key-release.ts). */
async function openerFor(core: SourcesDeps, user: UserRow, caller: Caller, a: Allegation, reason: string): Promise<Opener> {
  const released = await keysToOpen(core, user, caller, a, reason);
  return core.vault.openerWith(released, () => notYetDeposited(a.reference));
}

/** The fields of the pane's details from sealed source details (absent or non-text fields as empty). */
export function detailsOf(s: Partial<SourceIdentifiersPayload>): SourceDetails {
  const pick = (k: keyof SourceDetails) => (typeof s[k] === 'string' ? (s[k] as string) : '');
  return { name: pick('name'), phone: pick('phone'), email: pick('email'), address: pick('address'), relationship: pick('relationship'), organisation: pick('organisation') };
}

function pane(core: SourcesDeps, a: Allegation, auditEntry: number, vault: Opener): SourcePane {
  const details = readSourceForCore(core.store.db, vault, a.id) as SourceIdentifiersPayload;
  const originals = (prepared(core.store.db, 'SELECT part, format, payload FROM restricted_texts WHERE allegation_id = ? ORDER BY part').all(a.id) as Array<{ part: string; format: string; payload: Buffer }>).map((r) => ({
    part: r.part,
    label: PART_LABELS[r.part] ?? (r.part.startsWith('note:') ? 'A note, as written' : r.part.startsWith('attachment:') ? 'Attachment text, as received' : r.part),
    text: vault.openJson<{ text: string }>(allegationScope(a.id), `text:${r.part}`, r.payload, r.format).text,
  }));
  const contacts = (prepared(core.store.db, 'SELECT * FROM source_contacts WHERE allegation_id = ? ORDER BY at').all(a.id) as Array<Record<string, unknown>>).map((r) => ({
    id: r.id as string,
    at: r.at as string,
    by: r.by_user as string,
    method: r.method as SourcePane['contacts'][number]['method'],
    direction: r.direction as SourcePane['contacts'][number]['direction'],
    tasking: r.tasking === 1,
    summary: vault.openJson<{ summary: string }>(allegationScope(a.id), `contact:${r.id as string}`, r.payload as Buffer, r.format as string).summary,
  }));
  return {
    allegationId: a.id,
    reference: a.reference,
    details: detailsOf(details),
    also: (details.also ?? []).map((x) => ({ kind: x.kind, name: x.name, organisation: x.organisation, address: x.address, phone: x.phone, email: x.email, from: x.from, at: x.at })),
    originals,
    contacts,
    openedAt: core.store.now().toISOString(),
    auditEntry,
  };
}

/**
 * Opens the pane: the keys are found first (this desk's, or released by the server with the server's own audit
 * entry), then this desk's audit entry is committed, then the details are decrypted.
 */
export async function openSource(core: SourcesDeps, user: UserRow, allegationId: string, reason: string, caller: Caller = null, action = 'source.open'): Promise<SourcePane> {
  const a = allegation(core, allegationId);
  requireAccess(core, user, a);
  if (!core.vault.unlocked) throw new ApiError('unavailable', 'The vault is locked: source details cannot be opened until the desk passphrase is given');
  const opener = await openerFor(core, user, caller, a, reason);
  // Access is judged again: a pull during the release may have ended the allocation.
  requireAccess(core, user, a);
  const { seq } = core.store.audit.record({
    at: core.store.now().toISOString(),
    userId: user.id,
    actor: actorFor(user).name,
    action,
    entity: 'allegation',
    entityId: a.id,
    allegationId: a.id,
    details: { reference: a.reference, reason, role: user.role },
  });
  return pane(core, a, seq, opener);
}

export async function updateSource(core: SourcesDeps, user: UserRow, allegationId: string, details: SourceDetails, reason: string, caller: Caller = null): Promise<SourcePane> {
  const a = allegation(core, allegationId);
  requireAccess(core, user, a);
  const opener = await openerFor(core, user, caller, a, reason);
  requireAccess(core, user, a);
  const current = readSourceForCore(core.store.db, opener, a.id) as SourceIdentifiersPayload;
  core.store.mutate({ actor: actorFor(user), action: 'source.update', entity: 'allegation', entityId: a.id, allegationId: a.id, details: { reason, fields: Object.keys(details).filter((k) => details[k as keyof SourceDetails] !== current[k]) } }, (m) => {
    writeSource(m, core.vault, a.id, { ...current, ...details });
  });
  // The amendment's own audit entry records this release of the details.
  return pane(core, a, lastAuditEntry(core, a.id, 'source.update'), opener);
}

function lastAuditEntry(core: SourcesDeps, allegationId: string, action: string): number {
  return (prepared(core.store.db, 'SELECT max(seq) AS seq FROM audit_log WHERE allegation_id = ? AND action = ?').get(allegationId, action) as { seq: number }).seq;
}

export async function addContact(core: SourcesDeps, user: UserRow, allegationId: string, input: { method: string; direction: 'from_source' | 'to_source'; summary: string }, caller: Caller = null): Promise<SourcePane> {
  const a = allegation(core, allegationId);
  requireAccess(core, user, a);
  const opener = await openerFor(core, user, caller, a, 'Recording a contact with the source');
  requireAccess(core, user, a);
  const tasking = isTasking(input.summary);
  core.store.mutate({ actor: actorFor(user), action: 'source.contact', entity: 'allegation', entityId: a.id, allegationId: a.id, details: { method: input.method, direction: input.direction, tasking } }, (m) => {
    const id = core.store.newId();
    m.append('source_contact', {
      id,
      allegation_id: a.id,
      at: m.at,
      by_user: actorFor(user).name,
      method: input.method,
      direction: input.direction,
      tasking: tasking ? 1 : 0,
      format: SEALED_FORMAT,
      payload: core.vault.sealJson(allegationScope(a.id), `contact:${id}`, { summary: input.summary }),
    });
  });
  return pane(core, a, lastAuditEntry(core, a.id, 'source.contact'), opener);
}
