// Verifying the audit trail: the chain is keyed, so only a desk whose vault is open can tell a true chain from
// one recomputed by someone who edited it; and with a server, the chain must still hold every head the server
// countersigned at sync, which even the holder of the desk's keys cannot forge (store/audit-countersigns.ts). The
// screens and the command line call this one use-case.
import type { HasStore, HasVault } from './deps.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { ChainVerdict } from '../store/audit.ts';
import { checkCountersigns, type CountersignCheck } from '../store/audit-countersigns.ts';
import type { SyncEngine } from '../sync/engine.ts';

export type TrailVerdict = ChainVerdict & {
  /** The latest head the server countersigned, and whether the server was asked for it just now. */
  countersigned: (NonNullable<CountersignCheck['latest']> & { server: 'checked' | 'offline' | 'alone' }) | null;
  server: 'checked' | 'offline' | 'alone';
};

export function verifyAuditTrail(core: HasStore & HasVault, server: TrailVerdict['server'] = 'alone'): TrailVerdict {
  if (!core.vault.unlocked) {
    throw new ApiError('unavailable', "The audit chain is keyed: verifying it needs the vault's key. Unlock the vault with the desk passphrase (IMS_PASSPHRASE, or the prompt) and verify again.");
  }
  const root = core.vault.auditRoot();
  if (!root) throw new ApiError('unavailable', "The audit chain's sealed key is missing from this store, so the chain cannot be verified: it may have been tampered with. Restore the store from backup.");
  const verdict = core.store.audit.verify(root);
  const check = checkCountersigns(core.store.db);
  const countersigned = check.latest ? { ...check.latest, server } : null;
  if (verdict.ok && check.problem) return { ...verdict, ok: false, firstBadSeq: check.firstBadSeq, problem: check.problem, countersigned, server };
  return { ...verdict, countersigned, server };
}

/** The same, after asking the server (when this desk has one and it answers) for its latest countersignature. */
export async function verifyAuditTrailWithServer(core: HasStore & HasVault & { readonly sync: SyncEngine }): Promise<TrailVerdict> {
  const server = await core.sync.refreshCountersign();
  return verifyAuditTrail(core, server);
}
