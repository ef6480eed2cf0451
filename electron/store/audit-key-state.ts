// The audit chain's key as the desk holds it between entries, so that entries are keyed even while the vault is
// locked (the CLI without a passphrase, a host started without one). The key evolves one way at every entry:
// k(n+1) = HMAC(k(n), "evolve"), and only the key for the next entry is kept, overwritten in place. Whoever copies
// this file can key entries from now on, but can neither recompute an entry already written nor sign a shorter
// head: the keys for those are gone. The first key of the chain stays sealed in the vault, for verification and
// to restore this file (docs/vault.md, "The audit chain").
import { createHmac } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const AUDIT_KEY_FILE = join('keys', 'audit-chain.key');

/** The key of the next entry: entry `next` of the chain `chain` is keyed with `key`. */
export interface ChainKeyState {
  /** Which keyed chain (a store re-keyed, or another profile's file, is another chain). */
  chain: string;
  next: number;
  key: Buffer;
}

export function evolveKey(key: Buffer): Buffer {
  return createHmac('sha256', key).update('ims-desk audit key evolve').digest();
}

/** The key of entry `seq`, evolved from a state at or before it. */
export function keyAt(state: Pick<ChainKeyState, 'next' | 'key'>, seq: number): Buffer {
  if (seq < state.next) throw new Error(`the audit key for entry ${seq} is gone (the state is at ${state.next})`);
  let key = state.key;
  for (let i = state.next; i < seq; i++) key = evolveKey(key);
  return key;
}

// A fixed-length record, so that each write replaces the last one byte for byte (no old key left in the file).
const RECORD = /^ims-audit-key v1 chain=([0-9a-f]{16}) next=(\d{1,15}) key=([A-Za-z0-9+/]{43}=)\n *$/;
const RECORD_BYTES = 128;

export function readKeyState(profileDir: string): ChainKeyState | null {
  const path = join(profileDir, AUDIT_KEY_FILE);
  if (!existsSync(path)) return null;
  const m = RECORD.exec(readFileSync(path, 'latin1'));
  if (!m) return null;
  return { chain: m[1] as string, next: Number(m[2]), key: Buffer.from(m[3] as string, 'base64') };
}

/** Overwrites the state in place, unless the file already holds a later one (another process wrote after us). */
export function writeKeyState(profileDir: string, state: ChainKeyState, options: { force?: boolean } = {}): void {
  const path = join(profileDir, AUDIT_KEY_FILE);
  const held = readKeyState(profileDir);
  if (!options.force && held && held.chain === state.chain && held.next >= state.next) return;
  mkdirSync(join(profileDir, 'keys'), { recursive: true, mode: 0o700 });
  const text = `ims-audit-key v1 chain=${state.chain} next=${state.next} key=${state.key.toString('base64')}\n`.padEnd(RECORD_BYTES, ' ');
  const fd = openSync(path, existsSync(path) ? 'r+' : 'w', 0o600);
  try {
    // Not fsynced, like the store's own commits (synchronous = NORMAL): after a power cut the state may be behind
    // the chain (it evolves forward) or ahead of a lost commit (the vault then derives it again from the chain's
    // first key).
    writeSync(fd, Buffer.from(text, 'latin1'), 0, RECORD_BYTES, 0);
  } finally {
    closeSync(fd);
  }
}
