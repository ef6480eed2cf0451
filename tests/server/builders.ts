// Change rows as a desk writes them, for the server's tests and the sync benchmark (no test runner imported here).
import { randomBytes, randomUUID } from 'node:crypto';
import { entitySpec } from '../../shared/sync/entities.ts';
import type { ChangeRow, FieldValue } from '../../shared/sync/changes.ts';

type Fields = Record<string, FieldValue>;

export class MutationBuilder {
  private readonly hlc: string;
  private readonly userId: string | null;
  private readonly out: ChangeRow[];
  private readonly nextSeq: () => number;

  constructor(hlc: string, userId: string | null, out: ChangeRow[], nextSeq: () => number) {
    this.hlc = hlc;
    this.userId = userId;
    this.out = out;
    this.nextSeq = nextSeq;
  }

  private add(entity: string, id: string, op: ChangeRow['op'], fields: Record<string, { from: FieldValue; to: FieldValue }>, allegationId: string | null): void {
    this.out.push({ seq: this.nextSeq(), hlc: this.hlc, entity, id, allegationId, op, fields, userId: this.userId });
  }

  /** A new row: every synced column, those not given set to null. */
  insert(entity: string, id: string, values: Fields, allegationId: string | null = null): void {
    const spec = entitySpec(entity);
    const fields: Record<string, { from: FieldValue; to: FieldValue }> = {};
    for (const col of spec.columns) fields[col] = { from: null, to: values[col] ?? null };
    this.add(entity, id, spec.merge === 'append' ? 'append' : 'insert', fields, allegationId);
  }

  update(entity: string, id: string, changes: Record<string, [FieldValue, FieldValue]>, allegationId: string | null = null): void {
    this.add(entity, id, 'update', Object.fromEntries(Object.entries(changes).map(([k, [from, to]]) => [k, { from, to }])), allegationId);
  }

  /** A new allegation with the fields a desk fills at intake. */
  allegation(values: Partial<Fields> & { unit_code: string }): string {
    const id = randomUUID();
    const at = new Date().toISOString();
    this.insert(
      'allegation',
      id,
      {
        reference: `IMS-${new Date().getUTCFullYear()}-${String(Math.floor(Math.random() * 999_999)).padStart(6, '0')}-DESK${randomBytes(1).toString('hex').toUpperCase()}`,
        channel: 'letter',
        reporter_type: 'public',
        received_at: at,
        status: 'new',
        routed_by: 'postcode area B',
        free_text: 'He works at the car wash every day with no papers.',
        has_source: 0,
        created_at: at,
        updated_at: at,
        time_critical: 0,
        malicious_suspected: 0,
        ...values,
      },
      id,
    );
    return id;
  }
}

