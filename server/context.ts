// What every route and store function of the server works with: the database, the server's clock, keys, the blob
// store and the live-nudge hub.
import type { Database } from './db/database.ts';
import type { HybridClock } from '../shared/sync/hlc.ts';
import type { BlobStore } from './blobs/blob-store.ts';
import type { NudgeHub } from './sync/nudge.ts';
import type { PushGate } from './sync/admission.ts';
import type { KeyEncryptionService } from './keys/key-service.ts';
import type { BlindIndexService } from './keys/blind-index.ts';
import type { CountersignService } from './keys/countersign.ts';

export interface ServerContext {
  db: Database;
  clock: HybridClock;
  auditKey: Buffer;
  /** Wraps allegations' data keys (a local key file by default; a KMS or HSM in production). */
  keys: KeyEncryptionService;
  /** Keyed digests of source identifiers for national repeat referrers; the key never leaves the server. */
  blindIndex: BlindIndexService;
  /** Signs desks' audit heads at sync (desks verify with its public key). */
  countersign: CountersignService;
  blobs: BlobStore;
  hub: NudgeHub;
  /** Lets at most a few pushes into the database at once (sync/admission.ts); pulls never wait on it. */
  pushGate: PushGate;
  now: () => Date;
  /** Seconds a desk waits between polls when the live nudge is not connected. */
  pollSeconds: number;
  /** The data folder: PGlite, blobs, keys, the first-run bootstrap token. */
  dataDir: string;
  /** Failed sign-ins per username, for throttling (each instance counts its own). */
  signInFailures: Map<string, number[]>;
}
