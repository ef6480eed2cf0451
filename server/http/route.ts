// Every route of the server declares its zod schemas (from ./shared) and who may call it; this one helper
// validates the request before the handler runs and the response before it leaves, and turns every failure into
// the API's error shape { code, message, fields? } with the matching HTTP status. (A dozen lines of glue between
// Fastify and zod, instead of a type-provider package that would pull in an OpenAPI generator we do not use.)
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { z, ZodType } from 'zod';
import { ApiError, type ApiErrorCode } from '../../shared/api/errors.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';
import type { ServerContext } from '../context.ts';
import { resolveSession, type SessionUser } from '../store/sessions.ts';
import { deskByToken, type DeskRow } from '../store/desks.ts';

export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

export function zodProblem(error: z.ZodError, what: string): ApiError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || what;
    if (!(path in fields)) fields[path] = issue.message;
  }
  const [first] = Object.entries(fields);
  const count = Object.keys(fields).length;
  return new ApiError('bad_request', `The ${what} is not valid: ${first ? `${first[0]}: ${first[1]}` : 'unreadable'}${count > 1 ? ` (and ${count - 1} more)` : ''}`, fields);
}

type Caller = 'public' | 'user' | 'desk' | 'any_desk' | readonly Role[];

export interface Called<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** The signed-in person (callers 'user' and role lists; also 'public' and desk routes when a session is sent). */
  session: SessionUser | null;
  /** The calling desk ('desk': approved; 'any_desk': any status). */
  desk: DeskRow | null;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDef<B extends ZodType, Q extends ZodType, P extends ZodType, R extends ZodType> {
  method: HTTPMethods;
  url: string;
  caller: Caller;
  /** Also require a signed-in person on a desk route. */
  withSession?: boolean;
  body?: B;
  query?: Q;
  params?: P;
  response: R;
  status?: number;
  handler: (c: Called<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<z.infer<R>>;
}

function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? (m[1] as string) : null;
}

export function deskTokenOf(request: FastifyRequest): string | null {
  const h = request.headers['x-desk-token'];
  return typeof h === 'string' && h ? h : null;
}

export async function sessionOf(ctx: ServerContext, request: FastifyRequest, required: boolean): Promise<SessionUser | null> {
  const token = bearer(request);
  if (!token) {
    if (required) throw new ApiError('unauthenticated', 'Sign in first (no session was sent)');
    return null;
  }
  const s = await resolveSession(ctx.db, token, ctx.now());
  if (s === 'expired') throw new ApiError('unauthenticated', 'Your session has expired: sign in again');
  if (!s) throw new ApiError('unauthenticated', 'Your session has ended: sign in again');
  return s;
}

export async function deskOf(ctx: ServerContext, request: FastifyRequest, approved: boolean): Promise<DeskRow> {
  const token = deskTokenOf(request);
  if (!token) throw new ApiError('unauthenticated', 'This request must come from a registered desk (no desk credential was sent)');
  const desk = await deskByToken(ctx.db, token);
  if (!desk) throw new ApiError('unauthenticated', 'The desk credential is not known to this server: register the desk');
  if (approved && desk.status !== 'approved') {
    const why = desk.status === 'pending' ? 'is waiting for an administrator to approve it' : `was ${desk.status} by an administrator`;
    throw new ApiError('forbidden', `This desk ${why}: only an approved desk may sync`);
  }
  return desk;
}

function parse<T extends ZodType>(schema: T | undefined, value: unknown, what: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw zodProblem(r.error, what);
  return r.data;
}

export function route<B extends ZodType, Q extends ZodType, P extends ZodType, R extends ZodType>(app: FastifyInstance, ctx: ServerContext, def: RouteDef<B, Q, P, R>): void {
  app.route({
    method: def.method,
    url: def.url,
    handler: async (request, reply) => {
      let session: SessionUser | null = null;
      let desk: DeskRow | null = null;
      if (def.caller === 'desk' || def.caller === 'any_desk') {
        desk = await deskOf(ctx, request, def.caller === 'desk');
        session = await sessionOf(ctx, request, def.withSession ?? false);
      } else if (def.caller !== 'public') {
        session = await sessionOf(ctx, request, true);
        if (Array.isArray(def.caller) && !def.caller.includes((session as SessionUser).user.role)) {
          throw new ApiError('forbidden', `This needs one of these roles: ${def.caller.join(', ')}`);
        }
      }
      const body = parse(def.body, request.body, 'request body');
      const query = parse(def.query, request.query, 'query');
      const params = parse(def.params, request.params, 'address');
      const result = await def.handler({ body, query, params, session, desk, request, reply });
      const checked = def.response.safeParse(result);
      if (!checked.success) {
        request.log.error({ issues: checked.error.issues }, 'response failed its schema');
        throw new ApiError('internal', 'The server produced an answer that fails its own schema');
      }
      reply.code(def.status ?? 200);
      return checked.data;
    },
  });
}
