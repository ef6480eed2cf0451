// Sync as the screens drive it: the state in the window, pointing a new desk at a server, syncing now, and the
// conflicts the server sent back, resolved by the people who made them (or a duty manager, manager, administrator).
import type { Handlers } from './context.ts';
import { requireUser } from './context.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { conflictGroups } from '../sync/conflict-views.ts';
import { markSeen, resolveConflict } from '../sync/conflicts.ts';
import { findUserById } from '../core/users.ts';

type SyncProcedures = 'sync.status' | 'sync.configure' | 'sync.now' | 'sync.conflicts' | 'sync.resolve';

export const syncHandlers: Handlers<SyncProcedures> = {
  'sync.status': (ctx) => ctx.core.sync.status(requireUser(ctx).id),

  'sync.configure': (ctx, input) => {
    // A new desk is pointed at its server before anyone signs in; after that only an administrator moves it.
    const session = ctx.core.sessions.resolve(ctx.sessionToken);
    const user = session ? findUserById(ctx.core.store, session.userId) : undefined;
    if (ctx.core.sync.config && user?.role !== 'admin') throw new ApiError('forbidden', "Only an administrator changes this desk's server");
    ctx.core.sync.configure(input);
    ctx.core.syncScheduler.soon(0);
    return ctx.core.sync.status(user?.id);
  },

  'sync.now': async (ctx) => {
    const user = requireUser(ctx);
    await ctx.core.sync.cycle();
    return ctx.core.sync.status(user.id);
  },

  'sync.conflicts': (ctx, input) => {
    const user = requireUser(ctx);
    const groups = conflictGroups(ctx.core.store.db, { id: user.id, role: user.role }, input.state);
    ctx.core.store.db.transaction(() => markSeen(ctx.core.store.db, user.id, ctx.core.store.now().toISOString()))();
    return { conflicts: groups };
  },

  'sync.resolve': (ctx, input) => {
    const user = requireUser(ctx);
    resolveConflict(ctx.core.store, { id: user.id, role: user.role, name: `${user.display_name} (${user.username})` }, input.key, input.resolution, input.note);
    ctx.core.syncScheduler.soon(0);
    ctx.core.sync.emitStatus();
    const group = conflictGroups(ctx.core.store.db, { id: user.id, role: user.role }, 'all').find((g) => g.key === input.key);
    if (!group) throw new ApiError('not_found', 'No such conflict on this desk');
    return group;
  },
};
