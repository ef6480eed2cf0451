import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core.ts';
import { dispatch, handlers } from '../../electron/api/dispatch.ts';
import { importJsonl } from '../../electron/core/import.ts';
import { PROCEDURE_NAMES, api } from '../../shared/api.ts';
import { addUser, CORPUS_1K, signIn, tempDir, openCore } from '../helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let core: Core;
beforeAll(async () => {
  tmp = tempDir();
  core = await openCore(tmp.dir);
  await importJsonl(core, CORPUS_1K, { userId: null, name: 'test' });
  await addUser(core, 'ana.lyst', 'analyst', 'WMID');
  await addUser(core, 'ad.min', 'admin', null);
  await addUser(core, 'man.ager', 'manager', null);
});
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('the API contract and its dispatcher', () => {
  it('implements every procedure of the contract, and nothing else', () => {
    expect(Object.keys(handlers).sort()).toEqual([...PROCEDURE_NAMES].sort());
    for (const name of PROCEDURE_NAMES) expect(api[name].summary.length, name).toBeGreaterThan(10);
  });

  it('refuses unknown procedures', async () => {
    expect(await dispatch(core, 'allegations.delete', {}, null)).toEqual({ ok: false, error: { code: 'not_found', message: 'There is no procedure called allegations.delete' } });
  });

  it('lets only public procedures through without a session', async () => {
    expect(await dispatch(core, 'auth.status', {}, null)).toMatchObject({ ok: true, value: { needsSetup: false } });
    expect(await dispatch(core, 'queue.list', {}, null)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await dispatch(core, 'queue.list', {}, 'made-up-token')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('signs in with the right password only, and audits both outcomes', async () => {
    const wrong = await dispatch(core, 'auth.signIn', { username: 'ana.lyst', password: 'not the password' }, null);
    expect(wrong).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'The username or password is not right' } });
    const unknown = await dispatch(core, 'auth.signIn', { username: 'nobody', password: 'whatever123' }, null);
    expect(unknown).toEqual(wrong);
    const session = await signIn(core, 'ana.lyst');
    expect((await session.call('auth.me', {})).role).toBe('analyst');
    const actions = (core.store.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'auth.%'").all() as Array<{ action: string }>).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.sign_in_failed', 'auth.sign_in']));
  });

  it('validates input and reports each bad field', async () => {
    const admin = await signIn(core, 'ad.min');
    const r = await admin.raw('users.create', { username: 'x', displayName: '', role: 'wizard', unit: null, password: 'short' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bad_request');
      expect(Object.keys(r.error.fields ?? {}).sort()).toEqual(['displayName', 'password', 'role', 'username']);
    }
  });

  it('checks the caller’s role', async () => {
    const analyst = await signIn(core, 'ana.lyst');
    expect(await analyst.raw('users.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'Your role (analyst) cannot do this' } });
    const manager = await signIn(core, 'man.ager');
    expect(await manager.raw('users.create', { username: 'new.person', displayName: 'New', role: 'analyst', unit: 'WMID', password: 'long enough pw' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it("gives an analyst their own unit's queue, most urgent first, and refuses other units", async () => {
    const analyst = await signIn(core, 'ana.lyst');
    const q = await analyst.call('queue.list', {});
    expect(q.unit).toBe('WMID');
    expect(q.rows.length).toBeGreaterThan(20);
    expect(q.rows.every((r) => r.unit === 'WMID' && r.status !== 'closed')).toBe(true);
    const keys = q.rows.map((r) => `${r.timeCritical ? 0 : 1}:${r.dueAt ?? '9999'}`);
    expect([...keys].sort()).toEqual(keys);
    await expect(analyst.call('queue.list', { unit: 'SCOT' })).rejects.toMatchObject({ code: 'forbidden' });
    const manager = await signIn(core, 'man.ager');
    expect((await manager.call('queue.list', { unit: 'SCOT' })).rows.every((r) => r.unit === 'SCOT')).toBe(true);
  });

  it('returns the whole record by reference but never source details', async () => {
    const analyst = await signIn(core, 'ana.lyst');
    const r = await analyst.call('allegations.get', { reference: 'IMS-2020-000001' });
    expect(r.subjects.map((s) => s.surname)).toEqual(['Akram', 'Malik']);
    expect(r.hasSource).toBe(true);
    const text = JSON.stringify(r);
    expect(text).not.toContain('Garfield');
    expect(text).not.toContain('clarkeg@icloud.com');
    await expect(analyst.call('allegations.get', { reference: 'IMS-1999-000001' })).rejects.toMatchObject({ code: 'not_found', message: 'No allegation IMS-1999-000001' });
  });

  it('turns a search the parser cannot read into a clear message', async () => {
    const analyst = await signIn(core, 'ana.lyst');
    const r = await analyst.raw('search.query', { q: '"unbalanced' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/quotation mark is not closed/) } });
    const ok = await analyst.call('search.query', { q: 'Akram', limit: 5 });
    expect(ok.hits.length).toBeGreaterThan(0);
  });

  it('reports an unexpected failure without internals', async () => {
    const analyst = await signIn(core, 'ana.lyst');
    const logged: string[] = [];
    const original = core.search.search;
    core.search.search = () => {
      throw new Error('SQLITE_CORRUPT: secret internal detail');
    };
    const r = await dispatch(core, 'search.query', { q: 'x' }, analyst.token, (m) => logged.push(m));
    core.search.search = original;
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'Something went wrong in search.query; nothing was changed. The problem has been logged.' } });
    expect(logged[0]).toMatch(/search.query failed/);
  });

  it('ends sessions of a disabled account at once', async () => {
    const admin = await signIn(core, 'ad.min');
    const someone = await addUser(core, 'leav.er', 'sifter', 'NAT');
    const theirs = await signIn(core, 'leav.er');
    await admin.call('users.update', { id: someone.id, active: false });
    expect(await theirs.raw('auth.me', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    await expect(signIn(core, 'leav.er')).rejects.toThrow(/disabled/);
  });

  it('will not disable the last administrator', async () => {
    const admin = await signIn(core, 'ad.min');
    const me = await admin.call('auth.me', {});
    await expect(admin.call('users.update', { id: me.id, active: false })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses first-run set-up once accounts exist', async () => {
    expect(await dispatch(core, 'auth.setup', { username: 'sneaky', displayName: 'S', password: 'long enough pw' }, null)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});
