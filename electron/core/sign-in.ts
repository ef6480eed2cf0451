// Signing in, wherever it happens (the screens, the command line's --as): the password is checked against the
// desk's verifier, and failures are counted per username and for the whole desk. After a few failures an account
// waits longer between attempts each time (exponential back-off); after LOCK_AFTER in a row it is locked until an
// administrator unlocks it or LOCK_MS passes. Many failures across usernames (someone trying one password on
// every account) slow every sign-in at this desk. Every failure, lock and unlock is audited; attempts refused
// during a back-off are counted into the next entry rather than each written (a flood must not flood the log).
// 100 wrong passwords at 6 a second used to be answered each time, and the right one then accepted.
import type { HasStore } from './deps.ts';
import type { Actor } from '../store/store.ts';
import { prepared } from '../store/statements.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { findUserById, findUserByName, type UserRow } from './users.ts';
import { verifyPassword } from '../../node/passwords.ts';

export const SIGN_IN_POLICY = {
  /** Failures allowed before the back-off starts. */
  backoffAfter: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  /** Failures in a row that lock the account. */
  lockAfter: 10,
  lockMs: 30 * 60_000,
  /** Failures across the desk within this window that slow every sign-in. */
  deskWindowMs: 15 * 60_000,
  deskBackoffAfter: 30,
};

/** The whole desk's row in sign_in_attempts. */
const DESK = '*';

/** A hash to compare against when the username is unknown, so timing does not reveal which usernames exist. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

interface Attempts {
  username: string;
  failures: number;
  first_failure_at: string | null;
  last_failure_at: string | null;
  refused: number;
  locked_at: string | null;
  locked_until: string | null;
}

export interface SignInContext {
  /** Where: the desk's screens, or the command line (and which command). */
  via: 'desk' | 'cli';
  command?: string;
}

function attempts(core: HasStore, username: string): Attempts {
  return (
    (prepared(core.store.db, 'SELECT * FROM sign_in_attempts WHERE username = ?').get(username) as Attempts | undefined) ?? {
      username,
      failures: 0,
      first_failure_at: null,
      last_failure_at: null,
      refused: 0,
      locked_at: null,
      locked_until: null,
    }
  );
}

function save(core: HasStore, a: Attempts): void {
  prepared(
    core.store.db,
    `INSERT INTO sign_in_attempts (username, failures, first_failure_at, last_failure_at, refused, locked_at, locked_until)
     VALUES (@username, @failures, @first_failure_at, @last_failure_at, @refused, @locked_at, @locked_until)
     ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, first_failure_at = excluded.first_failure_at,
       last_failure_at = excluded.last_failure_at, refused = excluded.refused, locked_at = excluded.locked_at, locked_until = excluded.locked_until`,
  ).run(a);
}

/** How long after the last failure the next attempt must wait (0 before the back-off starts). */
export function backoffMs(failures: number, after = SIGN_IN_POLICY.backoffAfter): number {
  if (failures < after) return 0;
  return Math.min(SIGN_IN_POLICY.maxDelayMs, SIGN_IN_POLICY.baseDelayMs * 2 ** (failures - after));
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const readable = (ms: number) => (ms >= 90_000 ? `${Math.ceil(ms / 60_000)} minutes` : `${seconds(ms)} second${seconds(ms) === 1 ? '' : 's'}`);

/** Why an attempt must not be tried now, or null when it may. */
function refusal(a: Attempts, desk: Attempts, now: number): { message: string; locked: boolean } | null {
  if (a.locked_until && Date.parse(a.locked_until) > now) {
    return { message: `This account is locked after ${a.failures} failed sign-ins: an administrator can unlock it, or try again in ${readable(Date.parse(a.locked_until) - now)}.`, locked: true };
  }
  const wait = a.last_failure_at ? Date.parse(a.last_failure_at) + backoffMs(a.failures) - now : 0;
  if (wait > 0) return { message: `Too many failed sign-ins for this account: try again in ${readable(wait)}.`, locked: false };
  const deskRecent = desk.first_failure_at && now - Date.parse(desk.first_failure_at) < SIGN_IN_POLICY.deskWindowMs ? desk.failures : 0;
  const deskWait = desk.last_failure_at ? Date.parse(desk.last_failure_at) + backoffMs(deskRecent, SIGN_IN_POLICY.deskBackoffAfter) - now : 0;
  if (deskWait > 0) return { message: `Too many failed sign-ins at this desk: try again in ${readable(deskWait)}.`, locked: false };
  return null;
}

function audit(core: HasStore, action: string, username: string, user: UserRow | undefined, details: Record<string, unknown>): void {
  core.store.audit.record({ at: core.store.now().toISOString(), userId: user?.id ?? null, actor: username, action, entity: 'user', entityId: user?.id ?? null, allegationId: null, details });
}

/**
 * Checks a username and password; returns the user, or throws 'unauthenticated' with a message that does not say
 * whether the username exists. Failures, locks and refusals are counted and audited.
 */
export async function authenticate(core: HasStore, username: string, password: string, ctx: SignInContext): Promise<UserRow> {
  const now = core.store.now().getTime();
  const where = { via: ctx.via, ...(ctx.command ? { command: ctx.command } : {}) };
  const mine = attempts(core, username);
  const refused = refusal(mine, attempts(core, DESK), now);
  if (refused) {
    // Not checked, not audited one by one: counted into the account's next audit entry.
    save(core, { ...mine, refused: mine.refused + 1 });
    throw new ApiError('unauthenticated', refused.message);
  }
  const row = findUserByName(core.store, username);
  const ok = await verifyPassword(password, row?.password_hash || DUMMY_HASH);
  if (row && ok && row.active === 1) {
    if (mine.failures > 0 || mine.refused > 0) prepared(core.store.db, 'DELETE FROM sign_in_attempts WHERE username = ?').run(username);
    audit(core, 'auth.sign_in', row.username, row, { ...where, ...(mine.failures ? { failuresBefore: mine.failures } : {}) });
    return row;
  }
  const at = new Date(now).toISOString();
  const failures = mine.failures + 1;
  const lock = failures >= SIGN_IN_POLICY.lockAfter;
  const next: Attempts = {
    ...mine,
    failures,
    first_failure_at: mine.first_failure_at ?? at,
    last_failure_at: at,
    refused: 0,
    ...(lock ? { locked_at: at, locked_until: new Date(now + SIGN_IN_POLICY.lockMs).toISOString() } : {}),
  };
  const desk = attempts(core, DESK);
  const deskFresh = !desk.first_failure_at || now - Date.parse(desk.first_failure_at) >= SIGN_IN_POLICY.deskWindowMs;
  core.store.db.transaction(() => {
    save(core, next);
    save(core, { ...desk, failures: deskFresh ? 1 : desk.failures + 1, first_failure_at: deskFresh ? at : desk.first_failure_at, last_failure_at: at });
  })();
  const reason = !row ? 'unknown username' : !ok ? 'wrong password' : 'account disabled';
  audit(core, 'auth.sign_in_failed', username, row, { ...where, reason, failures, ...(mine.refused ? { refusedDuringBackoff: mine.refused } : {}) });
  const wasLocked = Boolean(mine.locked_until && Date.parse(mine.locked_until) > now);
  if (lock && !wasLocked) audit(core, 'auth.locked', username, row, { ...where, failures, until: next.locked_until });
  if (row && ok && row.active !== 1) throw new ApiError('unauthenticated', 'This account is disabled: ask an administrator');
  if (lock) throw new ApiError('unauthenticated', `The username or password is not right. After ${failures} failed sign-ins this account is locked: an administrator can unlock it, or try again in ${readable(SIGN_IN_POLICY.lockMs)}.`);
  const wait = backoffMs(failures);
  throw new ApiError('unauthenticated', wait > 0 ? `The username or password is not right. Wait ${readable(wait)} before trying again.` : 'The username or password is not right');
}

export interface LockView {
  locked: boolean;
  failures: number;
  lockedUntil: string | null;
}

export function lockState(core: HasStore, username: string): LockView {
  const a = attempts(core, username);
  const locked = Boolean(a.locked_until && Date.parse(a.locked_until) > core.store.now().getTime());
  return { locked, failures: a.failures, lockedUntil: locked ? a.locked_until : null };
}

/** An administrator lifts a lock (and the back-off) from an account; audited. */
export function unlockAccount(core: HasStore, actor: Actor, userId: string): LockView {
  const user = findUserById(core.store, userId);
  if (!user) throw new ApiError('not_found', 'No such user');
  const before = attempts(core, user.username);
  core.store.mutate({ actor, action: 'auth.unlocked', entity: 'user', entityId: user.id, details: { username: user.username, failures: before.failures, wasLocked: Boolean(before.locked_at) } }, (m) => {
    prepared(m.db, 'DELETE FROM sign_in_attempts WHERE username = ?').run(user.username);
  });
  return lockState(core, user.username);
}
