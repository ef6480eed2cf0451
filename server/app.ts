// The server's HTTP application: Fastify with the routes of each area and one error handler, so that every failure
// reaches the client as { code, message, fields? } with its HTTP status and nothing half-done stays behind.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ServerContext } from './context.ts';
import { ApiError } from '../shared/api/errors.ts';
import { HTTP_STATUS } from './http/route.ts';
import { authRoutes } from './routes/auth.ts';
import { adminRoutes } from './routes/admin.ts';
import { deskRoutes } from './routes/desks.ts';
import { syncRoutes } from './routes/sync.ts';
import { blobRoutes } from './routes/blobs.ts';
import { keyRoutes } from './routes/keys.ts';
import { miRoutes } from './routes/mi.ts';
import { nsuRoutes } from './routes/nsu.ts';
import { auditRoutes } from './routes/audit.ts';

/** A push of MAX_PUSH changes with sealed payloads fits well inside this. */
const BODY_LIMIT = 64 * 1024 * 1024;

export function buildApp(ctx: ServerContext, options: Pick<FastifyServerOptions, 'logger'> & { https?: { cert: Buffer; key: Buffer } | null } = {}): FastifyInstance {
  const app = (options.https ? Fastify({ logger: options.logger ?? false, bodyLimit: BODY_LIMIT, https: options.https }) : Fastify({ logger: options.logger ?? false, bodyLimit: BODY_LIMIT })) as unknown as FastifyInstance;
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof ApiError) return reply.code(HTTP_STATUS[error.code]).send(error.toFailure());
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.code(413).send({ code: 'bad_request', message: 'The request is too large for the server: send fewer changes, or the blob in smaller chunks' });
    if (status === 415) return reply.code(415).send({ code: 'bad_request', message: `The server does not read ${request.headers['content-type'] ?? 'that content type'} here` });
    if (status >= 400 && status < 500) {
      const message = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? `The request body is not valid JSON: ${error.message}` : error.message;
      return reply.code(400).send({ code: 'bad_request', message });
    }
    // Never silent: with the logger off (tests, --quiet) the failure still reaches stderr.
    if (options.logger) request.log.error(error);
    else process.stderr.write(`${request.method} ${request.url}: ${error.stack ?? error.message}\n`);
    return reply.code(500).send({ code: 'internal', message: 'The server failed to handle this request' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ code: 'not_found', message: `No such endpoint: ${request.method} ${request.url.split('?')[0]}` }));
  authRoutes(app, ctx);
  adminRoutes(app, ctx);
  deskRoutes(app, ctx);
  syncRoutes(app, ctx);
  blobRoutes(app, ctx);
  keyRoutes(app, ctx);
  miRoutes(app, ctx);
  nsuRoutes(app, ctx);
  auditRoutes(app, ctx);
  return app;
}
