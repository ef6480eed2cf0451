// Blobs travel apart from the change log, content-addressed (sha256 of the bytes) and resumable:
//   GET  /v1/blobs/:hash/status            how much the server holds (complete: nothing to send — deduplicated)
//   PUT  /v1/blobs/:hash?offset=N&size=S   the next chunk (application/octet-stream), from where the server stands
//   GET  /v1/blobs/:hash                   the bytes, with Range support; only for a desk whose scope holds an
//                                          allegation that names the blob (or the desk that sent it)
// The store keeps blobs sealed (ADR 0003): chunks are sealed as they arrive, and a download is decrypted on the way
// out, after everything it will send has verified.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { deskOf, route, zodProblem } from '../http/route.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { blobChunkQuery, blobHash, blobStatus, MAX_CHUNK_BYTES } from '../../shared/sync/protocol.ts';
import { z } from 'zod';
import { BlobDamagedError, BlobOffsetError, type OpenedBlob } from '../blobs/blob-store.ts';
import { scopeOfDesk } from '../store/desks.ts';
import { lockWrites } from '../sync/write.ts';

const hashParam = z.object({ hash: blobHash }).strict();

async function status(ctx: ServerContext, hash: string) {
  const [row] = await ctx.db.query<{ size: number; complete: boolean }>('SELECT size, complete FROM blobs WHERE hash = $1', [hash]);
  if (row?.complete) return { hash, received: row.size, size: row.size, complete: true };
  return { hash, received: await ctx.blobs.partial(hash), size: row?.size ?? null, complete: false };
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'unsatisfiable';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'unsatisfiable';
  return { start, end };
}

export function blobRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: MAX_CHUNK_BYTES }, (_req, body, done) => done(null, body));

  route(app, ctx, {
    method: 'GET',
    url: '/v1/blobs/:hash/status',
    caller: 'desk',
    params: hashParam,
    response: blobStatus,
    handler: async ({ params }) => status(ctx, params.hash),
  });

  route(app, ctx, {
    method: 'PUT',
    url: '/v1/blobs/:hash',
    caller: 'desk',
    params: hashParam,
    query: blobChunkQuery,
    response: blobStatus,
    handler: async ({ params, query, request, desk }) => {
      const chunk = request.body;
      if (!(chunk instanceof Buffer)) throw new ApiError('bad_request', 'Send the chunk as application/octet-stream');
      const hash = params.hash;
      const now = ctx.now();
      const before = await status(ctx, hash);
      if (before.complete) {
        if (before.size !== query.size) throw new ApiError('conflict', `The server already holds this blob, of ${before.size} bytes, not ${query.size}`);
        return before; // deduplicated: someone sent it already
      }
      if (before.size !== null && before.size !== query.size) throw new ApiError('conflict', `An upload of this blob with ${before.size} bytes is in progress, not ${query.size}`);
      if (query.offset + chunk.byteLength > query.size) throw new ApiError('bad_request', `The chunk runs past the blob's size (${query.offset} + ${chunk.byteLength} > ${query.size})`);
      if (before.size === null) {
        await ctx.db.query('INSERT INTO blobs (hash, size, created_at, desk_id) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING', [hash, query.size, now, desk?.id ?? null]);
      }
      let received: number;
      try {
        received = await ctx.blobs.append(hash, query.offset, chunk);
      } catch (error) {
        if (error instanceof BlobOffsetError) throw new ApiError('conflict', `The server holds ${error.held} bytes of this blob: send from offset ${error.held}`, { offset: String(error.held) });
        throw error;
      }
      if (received < query.size) return { hash, received, size: query.size, complete: false };
      const result = await ctx.blobs.finish(hash);
      if (result === 'corrupt') throw new ApiError('bad_request', 'The bytes received do not hash to the blob’s name: the upload was discarded, send it again from the start', { offset: '0' });
      await ctx.db.transaction(async (tx) => {
        await lockWrites(tx);
        await tx.query('UPDATE blobs SET complete = true, completed_at = $2 WHERE hash = $1', [hash, now]);
      });
      return { hash, received, size: query.size, complete: true };
    },
  });

  app.get('/v1/blobs/:hash', async (request, reply) => {
    const desk = await deskOf(ctx, request, true);
    const parsed = hashParam.safeParse(request.params);
    if (!parsed.success) throw zodProblem(parsed.error, 'address');
    const hash = parsed.data.hash;
    const [row] = await ctx.db.query<{ size: number; complete: boolean; desk_id: string | null }>('SELECT size, complete, desk_id FROM blobs WHERE hash = $1', [hash]);
    if (!row?.complete) throw new ApiError('not_found', 'The server does not hold this blob (yet)');
    if (row.desk_id !== desk.id) {
      const scope = await scopeOfDesk(ctx.db, desk);
      const [held] = await ctx.db.query<{ ok: boolean }>(
        scope.allAllegations
          ? 'SELECT true AS ok FROM blob_refs WHERE hash = $1 LIMIT 1'
          : `SELECT true AS ok FROM blob_refs r JOIN allegation_scope s ON s.allegation_id = r.allegation_id
              WHERE r.hash = $1 AND (s.unit_code = ANY($2::text[]) OR s.allocated_users && $3::text[]) LIMIT 1`,
        scope.allAllegations ? [hash] : [hash, scope.units, scope.users],
      );
      if (!held) throw new ApiError('forbidden', 'No allegation within this desk’s scope holds this blob');
    }
    const range = parseRange(request.headers.range, row.size);
    if (range === 'unsatisfiable') {
      reply.code(416).header('content-range', `bytes */${row.size}`);
      return reply.send({ code: 'bad_request', message: `The range ${request.headers.range} is outside the blob's ${row.size} bytes` });
    }
    let opened: OpenedBlob;
    try {
      opened = await ctx.blobs.open(hash, range ?? undefined);
    } catch (error) {
      if (!(error instanceof BlobDamagedError)) throw error;
      process.stderr.write(`${error.message}\n`);
      throw new ApiError('unavailable', error.message);
    }
    if (opened.size !== row.size) {
      opened.stream.destroy();
      throw new ApiError('unavailable', `The server's copy of blob ${hash.slice(0, 12)}… holds ${opened.size} bytes, not the ${row.size} received: it is not served. Restore the server's blobs folder from backup.`);
    }
    // Decrypted here on the way out, for a desk whose scope holds the blob; never cached by anything between.
    reply.header('accept-ranges', 'bytes').header('content-type', 'application/octet-stream').header('cache-control', 'private, no-store');
    if (!range) return reply.header('content-length', String(row.size)).send(opened.stream);
    return reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${row.size}`)
      .header('content-length', String(range.end - range.start + 1))
      .send(opened.stream);
  });
}
