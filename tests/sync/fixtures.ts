// A central server and desks that sync with it, for the desk-side sync tests: the real server (PGlite in memory)
// listening on loopback, and real desk cores that reach it over HTTP through their own sync client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/server.ts';
import type { Core, CoreOptions } from '../../electron/core/core.ts';
import { dispatch } from '../../electron/api/dispatch.ts';
import type { Role } from '../../shared/domain/vocabularies.ts';
import { SIGNOFF_EVIDENCE } from '../../shared/domain/outcome.ts';
import { emptyForm, type AllegationFormInput } from '../../shared/schemas/form.ts';
import { openCore, signIn, TEST_PASSWORD } from '../helpers.ts';

export interface TestServer {
  server: RunningServer;
  url: string;
  adminToken: string;
  request<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  addUser(username: string, role: Role, unit: string | null): Promise<{ id: string; username: string }>;
  approve(deskId: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestServer(options: { dataDir?: string } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ims-sync-server-'));
  const server = await startServer({ dataDir, inMemory: !options.dataDir, pollSeconds: 30 });
  const request = async <T>(method: string, path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const boot = await request<{ sessionToken: string }>('POST', '/v1/bootstrap', { token: server.bootstrapToken, username: 'admin', displayName: 'First Admin', password: TEST_PASSWORD });
  if (boot.status !== 201) throw new Error(`bootstrap failed: ${JSON.stringify(boot.body)}`);
  const adminToken = boot.body.sessionToken;
  return {
    server,
    url: server.url,
    adminToken,
    request,
    async addUser(username, role, unit) {
      const r = await request<{ id: string; username: string }>('POST', '/v1/admin/users', { username, displayName: username.replace(/\./g, ' '), role, unit, password: TEST_PASSWORD }, adminToken);
      if (r.status !== 201) throw new Error(`adding ${username} failed: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async approve(deskId) {
      const r = await request('POST', `/v1/admin/desks/${deskId}/decision`, { decision: 'approve' }, adminToken);
      if (r.status !== 200) throw new Error(`approving ${deskId} failed: ${JSON.stringify(r.body)}`);
    },
    async stop() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The letter of the sync scenarios: keyed at NAT an hour ago, its offence at a Birmingham car wash (so it routes to West Midlands). */
export function birminghamLetter(overrides: Partial<AllegationFormInput> = {}): AllegationFormInput {
  return {
    ...emptyForm(new Date(Date.now() - 3_600_000), 'letter'),
    reporterType: 'public',
    offenceTypes: ['illegal_working'],
    freeText: 'The car wash on Soho Road employs men with no papers and pays them cash.',
    subjects: [{ role: 'main', forename: 'Akrem', surname: 'Haddad', dob: '1985-02-11', gender: 'M', nationality: 'Tunisian' }],
    addresses: [{ type: 'offence_location', line1: '140 Soho Road', line2: '', town: 'Birmingham', postcode: 'B21 9LP' }],
    scanMissingReason: 'Letter scanned at the NAT post room',
    ...overrides,
  };
}

/** A second Birmingham letter, about another business and subject: for tests that need two cases at one unit. */
export function bakeryLetter(overrides: Partial<AllegationFormInput> = {}): AllegationFormInput {
  return birminghamLetter({
    freeText: 'The bakery on Lozells Road pays a man with no papers cash in hand.',
    subjects: [{ role: 'main', forename: 'Yusuf', surname: 'Okafor', dob: '1979-07-30', gender: 'M', nationality: 'Nigerian' }],
    addresses: [{ type: 'offence_location', line1: '22 Lozells Road', line2: '', town: 'Birmingham', postcode: 'B19 2TJ' }],
    ...overrides,
  });
}

/** A new desk pointed at the server, registered by its first person's sign-in and approved by the administrator. */
export async function joinDesk(s: Pick<TestServer, 'url' | 'approve'>, dir: string, name: string, unit: string, firstUser: string, options: CoreOptions = {}): Promise<Core> {
  const core = await openCore(dir, options);
  const r = await dispatch(core, 'sync.configure', { url: s.url, deskName: name, unit }, null);
  if (!r.ok) throw new Error(`configure failed: ${r.error.message}`);
  await signIn(core, firstUser);
  const deskId = core.sync.config?.deskId;
  if (!deskId) throw new Error('the desk did not register');
  await s.approve(deskId);
  await syncOk(core);
  return core;
}

/**
 * The desks most sync tests start from: the NAT post room and two West Midlands desks on one test server, each joined
 * by its first user (nat.sifter, wm.analyst, wm.analyst2) and signed in. `users` adds more accounts first; `wm2`
 * gives the second West Midlands desk options of its own (a long poll, so that only the nudge brings it anything
 * soon). `openDesk` opens one more desk's profile; `close` closes every
 * desk and the server and removes the profiles.
 */
export async function natAndWestMidlands(options: { users?: Array<[string, Role, string]>; wm2?: CoreOptions } = {}) {
  const s = await startTestServer();
  const dir = mkdtempSync(join(tmpdir(), 'ims-sync-desks-'));
  const cores: Core[] = [];
  await s.addUser('nat.sifter', 'sifter', 'NAT');
  await s.addUser('wm.analyst', 'analyst', 'WMID');
  await s.addUser('wm.analyst2', 'analyst', 'WMID');
  for (const [name, role, unit] of options.users ?? []) await s.addUser(name, role, unit);
  const open = async (folder: string, name: string, unit: string, user: string, coreOptions: CoreOptions = {}) => {
    const core = await joinDesk(s, join(dir, folder), name, unit, user, coreOptions);
    cores.push(core);
    return core;
  };
  const nat = await open('nat', 'NAT post room', 'NAT', 'nat.sifter');
  const wm1 = await open('wm1', 'West Midlands 1', 'WMID', 'wm.analyst');
  const wm2 = await open('wm2', 'West Midlands 2', 'WMID', 'wm.analyst2', options.wm2);
  return {
    s,
    dir,
    nat,
    wm1,
    wm2,
    sifter: await signIn(nat, 'nat.sifter'),
    analyst: await signIn(wm1, 'wm.analyst'),
    analyst2: await signIn(wm2, 'wm.analyst2'),
    /** Another desk's profile, not yet joined to the server; closed with the rest. */
    openDesk: async (folder: string, coreOptions: CoreOptions = {}) => {
      const core = await openCore(join(dir, folder), coreOptions);
      cores.push(core);
      return core;
    },
    close: async () => {
      for (const c of cores) c.close();
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One sync cycle that must succeed. */
export async function syncOk(core: Core): Promise<void> {
  const r = await core.sync.cycle();
  if (r.failed) throw r.failed;
}

type Session = Awaited<ReturnType<typeof signIn>>;

/**
 * Letters keyed at another desk reach a unit desk, whose analyst takes each of them (the allocation is pushed, so the
 * server will release their keys to that analyst); then each desk in `after` syncs too. Answers the analyst's session.
 */
export async function allocateOnArrival(desk: Core, analystName: string, ids: readonly string[], after: readonly Core[] = []): Promise<Session> {
  await syncOk(desk);
  const analyst = await signIn(desk, analystName);
  for (const id of ids) await analyst.call('allegations.allocate', { id });
  await syncOk(desk);
  for (const other of after) await syncOk(other);
  return analyst;
}

/** The conflict scenario's first half: an analyst assesses the letter, runs checks and judges its candidates, so
 * that an outcome may be recorded. */
export async function readyForOutcome(analyst: Session, letterId: string): Promise<void> {
  await analyst.call('allegations.assess', { id: letterId, riskRating: 'thirty_days' });
  const subjectId = (await analyst.call('allegations.get', { id: letterId })).subjects[0]?.id ?? null;
  await analyst.call('checks.add', { allegationId: letterId, system: 'cid_atlas', subjectId, finding: 'trace', result: 'Visit visa expired 2024' });
  await analyst.call('checks.add', { allegationId: letterId, system: 'pnc', subjectId, finding: 'no_trace', result: 'Nothing' });
  const candidates = await analyst.call('links.candidates', { allegationId: letterId });
  for (const c of candidates.candidates) if (!c.judgement) await analyst.call('links.judge', { allegationId: letterId, otherId: c.allegationId, judgement: 'not_a_match', reason: 'Looked at it side by side' });
  await analyst.call('links.review', { allegationId: letterId, note: 'Candidates judged' });
}

/** Closes the letter on one desk: graded, tasked to the ICE team, actioned and signed off (an allegation is
 * actioned only once an action is recorded, and a report leaves only graded: issue 20). */
export async function closeAsActioned(analyst: Session, compliance: Session, letterId: string): Promise<void> {
  await analyst.call('allegations.grade', { id: letterId, source: '2', intelligence: 'B', handling: 'P', harm: 'medium' });
  await analyst.call('actions.record', { allegationId: letterId, action: 'tasked_ice', recipientType: 'ice_team', recipient: 'ICE team West Midlands' });
  await analyst.call('allegations.outcome', { id: letterId, outcome: 'actioned', actions: [{ action: 'tasked_ice', detail: 'ICE team West Midlands' }], rationale: 'Working illegally: tasked to ICE' });
  await compliance.call('allegations.signOff', { id: letterId, decision: 'approve', evidence: [...SIGNOFF_EVIDENCE], note: 'Checked' });
}

/** The outcome the other desk records while it has not yet heard of the closure: it must come back as a conflict. */
export function recordLateOutcome(analyst: Session, letterId: string) {
  return analyst.call('allegations.outcome', { id: letterId, outcome: 'nfa_non_actionable', nfaReason: 'insufficient_information', actions: [], rationale: 'Not enough to act on' });
}
