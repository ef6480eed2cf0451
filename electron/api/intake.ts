import type { Handlers } from './context.ts';
import { requireUser } from './context.ts';
import { addNote, allocate, assess, createAllegation, decideTimeCritical, reallocate, updateAllegation } from '../core/cases.ts';
import { contentFromForm, formFromRecord } from '../core/content.ts';
import { planIntake } from '../core/intake.ts';
import { discardDraft, getDraft, listDrafts, saveDraft } from '../core/drafts.ts';
import { resetRouting, routingState, updateRouting } from '../core/routing-admin.ts';
import { readAllegation } from '../store/allegations.ts';
import { formFlags, formProblems, formWarnings, heldValues, NOTHING_HELD } from '../../shared/schemas/form.ts';
import { unitName } from '../../shared/domain/units.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { canWork } from '../core/access.ts';

type IntakeProcedures =
  | 'intake.preview'
  | 'allegations.create'
  | 'allegations.update'
  | 'allegations.form'
  | 'allegations.reallocate'
  | 'allegations.allocate'
  | 'allegations.assess'
  | 'allegations.timeCritical'
  | 'notes.add'
  | 'drafts.save'
  | 'drafts.list'
  | 'drafts.get'
  | 'drafts.discard'
  | 'routing.get'
  | 'routing.update'
  | 'routing.reset'
  | 'import.begin'
  | 'import.chunk'
  | 'import.finish';

export const intakeHandlers: Handlers<IntakeProcedures> = {
  'intake.preview': (ctx, { form, attachments, allegationId }) => {
    const plan = planIntake(ctx.core.routingTable(), contentFromForm(form, 'IMS-0000-000000'), 'entered');
    // Only someone who may work the allegation learns what it holds.
    const record = allegationId ? readAllegation(ctx.core.store.db, allegationId) : null;
    const held = record && canWork(ctx.core.store.db, requireUser(ctx), { id: record.id, unit_code: record.unit }) ? heldValues(record) : NOTHING_HELD;
    return {
      routing: { unit: plan.unit, unitName: unitName(plan.unit), reason: plan.routedBy },
      assessmentDueAt: plan.assessmentDueAt,
      deadlines: plan.deadlines,
      timeCriticalDueAt: plan.timeCritical?.dueAt ?? null,
      fields: formProblems(form, ctx.core.store.now(), held),
      flags: formFlags(form, held),
      warnings: formWarnings(form, attachments),
    };
  },
  'allegations.create': (ctx, { form, draftId, linkWarning }) => createAllegation(ctx.core, requireUser(ctx), form, draftId, linkWarning),
  'allegations.update': (ctx, { id, form, draftId }) => updateAllegation(ctx.core, requireUser(ctx), id, form, draftId),
  'allegations.form': (ctx, { id }) => {
    const record = readAllegation(ctx.core.store.db, id);
    if (!record) throw new ApiError('not_found', 'No such allegation');
    if (!canWork(ctx.core.store.db, requireUser(ctx), { id, unit_code: record.unit })) throw new ApiError('forbidden', `${record.reference} belongs to ${unitName(record.unit)}`);
    return { form: formFromRecord(record), reference: record.reference, attachments: record.attachments.length };
  },
  'allegations.reallocate': (ctx, { id, unit, reason }) => reallocate(ctx.core, requireUser(ctx), id, unit, reason),
  'allegations.allocate': (ctx, { id, userId }) => allocate(ctx.core, requireUser(ctx), id, userId),
  'allegations.assess': (ctx, { id, riskRating, note, grading }) => assess(ctx.core, requireUser(ctx), id, riskRating, note, grading),
  'allegations.timeCritical': (ctx, { id, decision, reason }) => decideTimeCritical(ctx.core, requireUser(ctx), id, decision, reason),
  'notes.add': (ctx, { allegationId, text, amendsNoteId }) => addNote(ctx.core, requireUser(ctx), allegationId, text, amendsNoteId),
  'drafts.save': (ctx, input) => saveDraft(ctx.core, requireUser(ctx), input),
  'drafts.list': (ctx) => listDrafts(ctx.core, requireUser(ctx)),
  'drafts.get': (ctx, { id }) => getDraft(ctx.core, requireUser(ctx), id),
  'drafts.discard': (ctx, { id }) => {
    discardDraft(ctx.core, requireUser(ctx), id);
    return {};
  },
  'routing.get': (ctx) => routingState(ctx.core),
  'routing.update': (ctx, { table, reason }) => updateRouting(ctx.core, requireUser(ctx), table, reason),
  'routing.reset': (ctx, { reason }) => resetRouting(ctx.core, requireUser(ctx), reason),
  'import.begin': (ctx, { fileName, size }) => ctx.core.importJobs.begin(requireUser(ctx), fileName, size),
  'import.chunk': (ctx, { jobId, index, text }) => ctx.core.importJobs.chunk(requireUser(ctx), jobId, index, text),
  'import.finish': (ctx, { jobId }) => ctx.core.importJobs.finish(requireUser(ctx), jobId),
};
