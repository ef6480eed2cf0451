import type { Handlers } from './context.ts';
import { requireUser } from './context.ts';
import { actorFor } from '../core/access.ts';
import { allegationSuggestions, rejectSuggestion } from '../core/suggestions.ts';

type AttachmentProcedures =
  | 'attachments.begin'
  | 'attachments.chunk'
  | 'attachments.finish'
  | 'attachments.list'
  | 'attachments.get'
  | 'attachments.page'
  | 'attachments.content'
  | 'attachments.export'
  | 'attachments.retry'
  | 'attachments.moveSource'
  | 'allegations.suggestions'
  | 'allegations.rejectSuggestion'
  | 'scans.list'
  | 'scans.page'
  | 'scans.attach'
  | 'scans.settings'
  | 'scans.configure';

export const attachmentHandlers: Handlers<AttachmentProcedures> = {
  'attachments.begin': (ctx, { allegationId, fileName, size }) => ctx.core.attachments.beginUpload(requireUser(ctx), allegationId, fileName, size),
  'attachments.chunk': (ctx, { uploadId, index, data }) => ctx.core.attachments.chunk(requireUser(ctx), uploadId, index, data),
  'attachments.finish': (ctx, { uploadId }) => ctx.core.attachments.finishUpload(requireUser(ctx), uploadId),
  'attachments.list': (ctx, { allegationId }) => ctx.core.attachments.list(allegationId),
  'attachments.get': (ctx, { id }) => ctx.core.attachments.detail(requireUser(ctx), id),
  'attachments.page': (ctx, { id, page, variant }) => ctx.core.attachments.page(requireUser(ctx), id, page, variant),
  'attachments.content': (ctx, { id, offset, length }) => ctx.core.attachments.content(requireUser(ctx), id, offset, length),
  'attachments.export': (ctx, { id, offset, length }) => ctx.core.attachments.export(requireUser(ctx), id, offset, length),
  'attachments.retry': (ctx, { id, pages }) => {
    const user = requireUser(ctx);
    return ctx.core.attachments.retry({ user, name: actorFor(user).name }, id, pages);
  },
  'attachments.moveSource': (ctx, { id, reason, as }) => ctx.core.attachments.moveSource(requireUser(ctx), id, reason, as),
  'allegations.suggestions': (ctx, { id }) => allegationSuggestions(ctx.core.store.db, id),
  'allegations.rejectSuggestion': (ctx, { id, from, fromId, key, reason }) => rejectSuggestion(ctx.core, requireUser(ctx), id, { from, fromId, key }, reason),
  'scans.list': (ctx, { include }) => ({ scans: ctx.core.scans.list(include), folder: ctx.core.scans.state() }),
  'scans.page': (ctx, { id, page }) => ctx.core.scans.page(id, page),
  'scans.attach': (ctx, { scanId, allegationId }) => ctx.core.scans.attach(requireUser(ctx), scanId, allegationId),
  'scans.settings': (ctx) => ctx.core.scans.state(),
  'scans.configure': (ctx, { folder, intervalSeconds }) => ctx.core.scans.configure(requireUser(ctx), folder, intervalSeconds),
};
