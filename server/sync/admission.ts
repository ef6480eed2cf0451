// Admission of pushes to the database. Pushes no longer wait for one another (push.ts), so eight desks pushing at
// once are eight PostgreSQL backends and eight judgings on the server's thread competing for the processor, and a
// pull or the live stream's horizon (pull.ts, nudge.ts) gets a small share of it: the pull lag rose with the push
// rate. At most `concurrency` pushes are in their database transaction at once; the rest wait here, in arrival
// order, before taking a connection. Pulls, snapshots and the live stream never pass through the gate.
// Measured choice of the default: docs/server.md, "Figures (issue 15)".
import pLimit from 'p-limit';

/** Pushes in their transaction at once, per server instance, unless IMS_SERVER_PUSH_CONCURRENCY says otherwise. */
export const DEFAULT_PUSH_CONCURRENCY = 3;

export type PushGate = <T>(transaction: () => Promise<T>) => Promise<T>;

/** The number of pushes a server lets into the database at once: the option, else the environment, else the default. */
export function pushConcurrency(option: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const raw = option ?? (env.IMS_SERVER_PUSH_CONCURRENCY === undefined || env.IMS_SERVER_PUSH_CONCURRENCY === '' ? DEFAULT_PUSH_CONCURRENCY : Number(env.IMS_SERVER_PUSH_CONCURRENCY));
  if (!Number.isInteger(raw) || raw < 1 || raw > 64) {
    throw new Error(`IMS_SERVER_PUSH_CONCURRENCY must be a whole number from 1 to 64 (pushes in the database at once), not ${JSON.stringify(option ?? env.IMS_SERVER_PUSH_CONCURRENCY)}`);
  }
  return raw;
}

export function pushGate(concurrency: number): PushGate {
  const limit = pLimit(concurrency);
  return (transaction) => limit(transaction);
}
