// The integration tests' run-wide scratch directory: stores that several files need, built once per run on first
// need (tests/integration/shared-stores.ts) and copied by each file, then removed when the run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where shared-stores.ts builds the stores it hands out, for this run only. */
    sharedStores: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'ims-shared-stores-'));
  project.provide('sharedStores', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
