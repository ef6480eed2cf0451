// Grading an allegation (3x5x2 and the harm rating): refused until complete and consistent
// (shared/domain/grading.ts), audited with what it replaced, so a regrading is in the allegation's history.
import type { Emits, HasStore } from './deps.ts';
import type { UserRow } from './users.ts';
import { actorFor, requireWork } from './access.ts';
import { prepared } from '../store/db.ts';
import { readAllegation } from '../store/allegations.ts';
import { writeGrading, type GradingRow } from '../store/results.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { gradingCode, gradingProblems, type Grading } from '../../shared/domain/grading.ts';
import type { AllegationRecord } from '../../shared/schemas/record.ts';

export function gradeAllegation(core: Emits & HasStore, user: UserRow, id: string, grading: Grading): AllegationRecord {
  const a = prepared(core.store.db, 'SELECT id, reference, unit_code, status, grading_source, grading_intelligence, grading_handling, grading_conditions, harm FROM allegations WHERE id = ?').get(id) as
    | ({ id: string; reference: string; unit_code: string | null; status: string } & { [K in keyof GradingRow]: string | null })
    | undefined;
  if (!a) throw new ApiError('not_found', 'No such allegation');
  requireWork(core.store.db, user, a);
  if (a.status === 'closed') throw new ApiError('conflict', `${a.reference} is closed; its grading is kept as it was`);
  const conditions = grading.conditions.trim();
  const problems = gradingProblems({ ...grading, conditions });
  if (problems.length) {
    const fields = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    throw new ApiError('bad_request', `The grading cannot be recorded: ${problems[0]?.message}`, fields);
  }
  const after: GradingRow = { grading_source: grading.source, grading_intelligence: grading.intelligence, grading_handling: grading.handling, grading_conditions: conditions, harm: grading.harm };
  const before: GradingRow | null = a.grading_source
    ? { grading_source: a.grading_source, grading_intelligence: a.grading_intelligence ?? '', grading_handling: a.grading_handling ?? '', grading_conditions: a.grading_conditions ?? '', harm: a.harm ?? '' }
    : null;
  const unchanged = before && (Object.keys(after) as Array<keyof GradingRow>).every((k) => before[k] === after[k]);
  if (!unchanged) {
    core.store.mutate(
      {
        actor: actorFor(user),
        action: before ? 'allegation.regrade' : 'allegation.grade',
        entity: 'allegation',
        entityId: id,
        allegationId: id,
        details: {
          grading: gradingCode(grading),
          harm: grading.harm,
          conditions,
          ...(before ? { was: `${before.grading_source}/${before.grading_intelligence}/${before.grading_handling}`, wasHarm: before.harm, wasConditions: before.grading_conditions } : {}),
        },
      },
      (m) => writeGrading(m, id, after),
    );
    core.emit({ type: 'allegation.changed', allegationId: id, reference: a.reference });
  }
  return readAllegation(core.store.db, id) as AllegationRecord;
}
