// National management information on a desk: the desk asks the central server, which computes the figures over the
// national record with the same code and the same access rules as the desk's own (server/routes/mi.ts). The person
// asks with their own session on the server, so the server decides and audits what they see. When the desk works
// alone, or the server cannot be reached, or the person signed in offline, the answer says so and the screen shows
// the desk's own figures.
import type { SyncEngine } from '../sync/engine.ts';
import { ServerError, UnreachableError } from '../sync/server-api.ts';
import type { Sessions } from './sessions.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { MiNationalRecords, MiReportView, MiScopeInput } from '../../shared/api/mi.ts';
import type { DrillTarget } from '../../shared/mi/compute.ts';

export interface MiNationalDeps {
  sync: SyncEngine;
  sessions: Sessions;
}

export type NationalAnswer = { available: true; report: MiReportView; server: string } | { available: false; reason: string; connected: boolean };

type Reach = { ok: true; call: <T>(fn: (api: NonNullable<ReturnType<SyncEngine['server']>>, desk: string, session: string) => Promise<T>) => Promise<T>; url: string } | { ok: false; reason: string; connected: boolean };

function reach(core: MiNationalDeps, sessionToken: string | null): Reach {
  const config = core.sync.config;
  const api = core.sync.server();
  if (!config || !api) return { ok: false, connected: false, reason: 'This desk works on its own (it is not connected to a central server): these are the figures of the records held here.' };
  if (!config.deskToken || config.status !== 'approved') return { ok: false, connected: true, reason: 'This desk is not yet approved by the server: these are the figures of the records held here.' };
  const session = core.sessions.resolve(sessionToken)?.serverSession ?? null;
  if (!session) return { ok: false, connected: true, reason: 'You signed in while the server could not be reached: sign out and in again when connected to see national figures. These are the figures of the records held here.' };
  const desk = config.deskToken;
  return { ok: true, url: config.url, call: (fn) => fn(api, desk, session) };
}

/** A refusal by the server, as the desk's own API error (its message is written for the person at the desk). */
function refusal(e: ServerError): ApiError {
  const code = e.code === 'bad_response' ? 'unavailable' : e.code;
  return new ApiError(code, e.message, e.fields);
}

export async function miNational(core: MiNationalDeps, sessionToken: string | null, input: MiScopeInput): Promise<NationalAnswer> {
  const r = reach(core, sessionToken);
  if (!r.ok) return { available: false, reason: r.reason, connected: r.connected };
  try {
    return { available: true, report: await r.call((api, desk, session) => api.miReport(desk, session, input)), server: r.url };
  } catch (e) {
    if (e instanceof UnreachableError) return { available: false, connected: true, reason: `The server cannot be reached (${e.message}): these are the figures of the records held here.` };
    if (e instanceof ServerError && e.status === 401) return { available: false, connected: true, reason: `${e.message}: these are the figures of the records held here.` };
    if (e instanceof ServerError) throw refusal(e);
    throw e;
  }
}

export async function miNationalRecords(core: MiNationalDeps, sessionToken: string | null, input: { scope: MiScopeInput; target: DrillTarget; limit: number }): Promise<MiNationalRecords> {
  const r = reach(core, sessionToken);
  if (!r.ok) throw new ApiError('unavailable', r.reason);
  try {
    return await r.call((api, desk, session) => api.miRecords(desk, session, input));
  } catch (e) {
    if (e instanceof UnreachableError) throw new ApiError('unavailable', `The server cannot be reached (${e.message})`);
    if (e instanceof ServerError) throw refusal(e);
    throw e;
  }
}
