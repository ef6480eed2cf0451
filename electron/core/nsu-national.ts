// NSU's repeat referrers as the screen shows them: national, from the server, when this desk syncs with one and the
// NSU officer is signed in there (the server indexes every unit's referrals under a key no desk holds); otherwise,
// and whenever the server cannot be reached, this desk's own groups, saying so. Groups are described from what this
// desk holds of each allegation (an NSU desk holds them all once synced); what it does not hold yet is shown from
// the server's facts (reference, unit, date), never a source detail.
import type { NsuDeps } from './nsu.ts';
import { describe, factsStatement, referrerGroups, type AllegationFacts } from './nsu.ts';
import type { UserRow } from './users.ts';
import type { SyncEngine } from '../sync/engine.ts';
import type { Sessions } from './sessions.ts';
import { ServerError, UnreachableError } from '../sync/server-api.ts';
import type { ReferrerView } from '../../shared/api/sources.ts';

export type NsuViewDeps = NsuDeps & { readonly sync: SyncEngine; readonly sessions: Sessions };

export async function referrerView(core: NsuViewDeps, user: UserRow, minCount: number): Promise<ReferrerView> {
  const local = (note: string): ReferrerView => ({ scope: 'desk', note, indexed: null, waiting: null, groups: referrerGroups(core, minCount) });
  const api = core.sync.server();
  if (!api || !core.sync.config?.deskToken) return local('This desk only: it does not sync with a server, so referrals made at other units are not included.');
  const session = core.sessions.serverSessionOf(user.id);
  if (!session) return local('This desk only: you signed in without the server (offline), so referrals made at other units are not included. Sign in again when the server is back.');
  let national;
  try {
    national = await api.nationalReferrers(session, minCount);
  } catch (error) {
    if (error instanceof UnreachableError) return local(`This desk only: the server cannot be reached (${error.message}), so referrals made at other units are not included.`);
    if (error instanceof ServerError && error.status !== 401) throw error;
    return local('This desk only: your session on the server has ended; sign in again to see every unit.');
  }
  const facts = factsStatement(core.store.db);
  const groups = national.groups.map((g) =>
    describe(
      core,
      g.allegations.map(
        (a): AllegationFacts =>
          (facts.get(a.id) as AllegationFacts | undefined) ?? {
            id: a.id,
            reference: a.reference ?? '(not yet on this desk)',
            received_at: a.receivedAt ?? '',
            unit_code: a.unit,
            offences: null,
            main_subject: null,
            subject_key: null,
            contacts: 0,
            tasking: 0,
            last_tasking: null,
          },
      ),
      g.linkedBy,
    ),
  );
  groups.sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
  const waiting = national.waiting ? ` ${national.waiting} referral(s) are not indexed yet: their desks have still to send the server their keys.` : '';
  return { scope: 'national', note: `National, from the server: referrals from every unit (${national.indexed} indexed).${waiting}`, indexed: national.indexed, waiting: national.waiting, groups };
}
