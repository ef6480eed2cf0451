// The one dispatcher every host calls: it validates the input against the contract, checks who is calling,
// runs the implementation and validates what it returns. Errors cross the boundary as { code, message }; an
// unexpected one is logged here and reported without internals.
import { api, isProcedureName, type ProcedureName } from '../../shared/api.ts';
import { ApiError, type ApiResult } from '../../shared/api/errors.ts';
import type { ApiContext, Handler, Handlers } from './context.ts';
import type { Core } from '../core/core.ts';
import { findUserById } from '../core/users.ts';
import { authHandlers } from './auth.ts';
import { caseHandlers } from './cases.ts';
import { searchHandlers } from './search.ts';
import { intakeHandlers } from './intake.ts';
import { sourceHandlers } from './sources.ts';
import { linkHandlers } from './links.ts';
import { assessmentHandlers } from './assessment.ts';
import { attachmentHandlers } from './attachments.ts';
import { workbenchHandlers } from './workbench.ts';
import { miHandlers } from './mi.ts';
import { resultHandlers } from './results.ts';
import { syncHandlers } from './sync.ts';
import type { z } from 'zod';

/** Every procedure of the contract, implemented; the type makes a missing one a compile error. */
export const handlers: Handlers<ProcedureName> = {
  ...authHandlers,
  ...caseHandlers,
  ...searchHandlers,
  ...intakeHandlers,
  ...sourceHandlers,
  ...linkHandlers,
  ...assessmentHandlers,
  ...attachmentHandlers,
  ...workbenchHandlers,
  ...miHandlers,
  ...resultHandlers,
  ...syncHandlers,
};

function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

export type Logger = (message: string, error?: unknown) => void;
const defaultLogger: Logger = (message, error) => console.error(`[ims] ${message}`, error instanceof Error ? error.stack : (error ?? ''));

export async function dispatch(core: Core, name: string, rawInput: unknown, sessionToken: string | null, log: Logger = defaultLogger): Promise<ApiResult<unknown>> {
  try {
    if (!isProcedureName(name)) throw new ApiError('not_found', `There is no procedure called ${name}`);
    const proc = api[name];
    const session = core.sessions.resolve(sessionToken);
    const user = session ? findUserById(core.store, session.userId) : undefined;
    if (proc.access !== 'public') {
      if (!session || !user || user.active !== 1) throw new ApiError('unauthenticated', 'Your session has ended: sign in again');
      if (proc.access !== 'signed_in' && !proc.access.includes(user.role)) {
        throw new ApiError('forbidden', `Your role (${user.role.replace('_', ' ')}) cannot do this`);
      }
    }
    const parsed = proc.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error);
      const first = parsed.error.issues[0];
      const where = first?.path.length ? `${first.path.join('.')}: ` : '';
      throw new ApiError('bad_request', `${where}${first?.message ?? 'invalid input'}`, fields);
    }
    const ctx: ApiContext = { core, user: user ?? null, sessionToken: session ? sessionToken : null };
    const handler = handlers[name] as Handler<typeof name>;
    const value = await handler(ctx, parsed.data as never);
    const checked = proc.output.safeParse(value);
    if (!checked.success) {
      log(`${name} returned a value that breaks its contract: ${checked.error.message}`);
      throw new ApiError('internal', `${name} failed an internal check; the problem has been logged`);
    }
    return { ok: true, value: checked.data };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.toFailure() };
    log(`${name} failed`, error);
    return { ok: false, error: { code: 'internal', message: `Something went wrong in ${name}; nothing was changed. The problem has been logged.` } };
  }
}
