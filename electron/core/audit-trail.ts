// Verifying the audit trail: the chain is keyed, so only a desk whose vault is open can tell a true chain from
// one recomputed by someone who edited it. The screens and the command line call this one use-case.
import type { HasStore, HasVault } from './deps.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { ChainVerdict } from '../store/audit.ts';

export function verifyAuditTrail(core: HasStore & HasVault): ChainVerdict {
  if (!core.vault.unlocked) {
    throw new ApiError('unavailable', "The audit chain is keyed: verifying it needs the vault's key. Unlock the vault with the desk passphrase (IMS_PASSPHRASE, or the prompt) and verify again.");
  }
  const root = core.vault.auditRoot();
  if (!root) throw new ApiError('unavailable', "The audit chain's sealed key is missing from this store, so the chain cannot be verified: it may have been tampered with. Restore the store from backup.");
  return core.store.audit.verify(root);
}
