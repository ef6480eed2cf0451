// NSU's reveal of the source details behind a group of referrals. The group is this desk's own, or, when the desk
// syncs with a server and the officer is signed in there, one of the national groups the screen shows (its
// referrals sealed at other desks, whose blind indexes this desk never holds). Each allegation's details open
// with the key that sealed them: this desk's own, or the one the server releases to NSU (and audits before it
// answers), as the source pane does. Each reveal writes this desk's audit entry before the details are read.
import type { UserRow } from './users.ts';
import { actorFor } from './access.ts';
import { findGroup, isGroup, type NsuDeps } from './nsu.ts';
import { detailsOf } from './sources.ts';
import { referrerView, type NsuViewDeps } from './nsu-national.ts';
import { keysToOpen, notYetDeposited, type Caller, type KeyReleaseDeps } from './key-release.ts';
import { prepared } from '../store/db.ts';
import { readSourceForCore } from '../store/allegation-write.ts';
import type { ReferrerGroupView, SourceDetails } from '../../shared/api/sources.ts';
import { ApiError } from '../../shared/api/errors.ts';

export type NsuRevealDeps = NsuDeps & NsuViewDeps & KeyReleaseDeps;

export interface Revealed {
  allegationId: string;
  reference: string;
  details: SourceDetails;
}

/** The group by its key: this desk's own groups first, then the national ones (when the server answers). */
async function groupOf(core: NsuRevealDeps, user: UserRow, groupKey: string): Promise<ReferrerGroupView> {
  try {
    return findGroup(core, groupKey);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'not_found') throw error;
  }
  const view = await referrerView(core, user, 2);
  const group = view.scope === 'national' ? view.groups.find((g) => isGroup(g, groupKey)) : undefined;
  if (!group) throw new ApiError('not_found', 'No such group of referrals (it may have changed as new referrals arrived): reload the list');
  return group;
}

/** NSU only: the source details behind a group, each release audited before it happens. */
export async function revealGroup(core: NsuRevealDeps, user: UserRow, groupKey: string, reason: string, caller: Caller = null): Promise<Revealed[]> {
  if (user.role !== 'nsu') {
    // A refused attempt is itself something SACU should see, whichever way it came (a screen, the command line).
    core.store.audit.record({ at: core.store.now().toISOString(), userId: user.id, actor: actorFor(user).name, action: 'nsu.reveal_refused', entity: 'referrer_group', entityId: groupKey.slice(0, 100), allegationId: null, details: { reason, role: user.role } });
    throw new ApiError('forbidden', 'Only the National Source Unit may reveal the source details behind a group of referrals');
  }
  if (!core.vault.unlocked) throw new ApiError('unavailable', 'The vault is locked: source details cannot be revealed until the desk passphrase is given');
  const group = await groupOf(core, user, groupKey);
  const out: Revealed[] = [];
  for (const a of group.allegations) {
    // A referral of the national group that has not reached this desk yet has nothing here to reveal: the list
    // shows it as not yet on this desk, and it can be revealed once the desk has synced.
    const held = prepared(core.store.db, 'SELECT reference FROM allegations WHERE id = ?').get(a.id) as { reference: string } | undefined;
    if (!held) continue;
    const allegation = { id: a.id, reference: held.reference };
    const opener = core.vault.openerWith(await keysToOpen(core, user, caller, allegation, reason), () => notYetDeposited(held.reference));
    core.store.audit.record({ at: core.store.now().toISOString(), userId: user.id, actor: actorFor(user).name, action: 'nsu.reveal', entity: 'allegation', entityId: a.id, allegationId: a.id, details: { reference: held.reference, reason, group: group.groupKey } });
    out.push({ allegationId: a.id, reference: held.reference, details: detailsOf(readSourceForCore(core.store.db, opener, a.id) ?? {}) });
  }
  return out;
}
