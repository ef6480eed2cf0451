import type { Core } from '../core/core.ts';
import type { ApiOutput, ApiParsedInput, ProcedureName } from '../../shared/api.ts';
import type { UserRow } from '../core/users.ts';
import type { Actor } from '../store/store.ts';
import { actorFor } from '../core/access.ts';

export interface ApiContext {
  core: Core;
  /** The signed-in user; null only for public procedures. */
  user: UserRow | null;
  sessionToken: string | null;
}

export type Handler<N extends ProcedureName> = (ctx: ApiContext, input: ApiParsedInput<N>) => ApiOutput<N> | Promise<ApiOutput<N>>;

/** An implementation for each procedure of an area of the contract. */
export type Handlers<N extends ProcedureName> = { [K in N]: Handler<K> };

export function actorOf(ctx: ApiContext): Actor {
  return ctx.user ? actorFor(ctx.user) : { userId: null, name: 'desk' };
}

/** The signed-in user, for procedures the dispatcher has already checked are not public. */
export function requireUser(ctx: ApiContext): UserRow {
  if (!ctx.user) throw new Error('procedure called without a signed-in user');
  return ctx.user;
}
