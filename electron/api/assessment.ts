import type { Handlers } from './context.ts';
import { requireUser } from './context.ts';
import { addCheck, chooseOutcome, signOff, workflow } from '../core/assessment.ts';

type AssessmentProcedures = 'checks.add' | 'allegations.workflow' | 'allegations.outcome' | 'allegations.signOff';

export const assessmentHandlers: Handlers<AssessmentProcedures> = {
  'checks.add': (ctx, input) => addCheck(ctx.core, requireUser(ctx), input),
  'allegations.workflow': (ctx, { allegationId }) => workflow(ctx.core, allegationId),
  'allegations.outcome': (ctx, { id, ...input }) => chooseOutcome(ctx.core, requireUser(ctx), id, input),
  'allegations.signOff': (ctx, { id, ...input }) => signOff(ctx.core, requireUser(ctx), id, input),
};
