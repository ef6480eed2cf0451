// The layers inside electron/ run one way — store < vault, matching, search, attachments, sync < core < api < hosts —
// and lint refuses an import that goes up or sideways, however it is written (import, import(), require), as it
// refuses `electron` and its subpaths anywhere but main.ts and preload.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { ROOT } from '../helpers.ts';

const eslint = new ESLint({ cwd: ROOT });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('the layers of electron/', () => {
  // Loading the TypeScript parser and the configuration is most of the cost; do it once, with time to spare.
  beforeAll(async () => {
    await eslint.lintText('export {};\n', { filePath: 'electron/store/warm-up.ts' });
  }, 120_000);

  it.each([
    ['electron/store/planted.ts', "import { Core } from '../core/core.ts';\nexport const x = Core;\n"],
    ['electron/store/migrations/planted.ts', "import { x } from '../../search/index.ts';\nexport const y = x;\n"],
    ['electron/vault/planted.ts', "import { x } from '../matching/match-index.ts';\nexport const y = x;\n"],
    ['electron/search/planted.ts', "import { x } from '../vault/vault.ts';\nexport const y = x;\n"],
    ['electron/mi/planted.ts', "import { x } from '../search/index.ts';\nexport const y = x;\n"],
    ['electron/attachments/planted.ts', "import { x } from '../../electron/core/core.ts';\nexport const y = x;\n"],
    ['electron/sync/planted.ts', "import { BlobStore } from '../attachments/blob-store.ts';\nexport const y = BlobStore;\n"],
    ['electron/sync/planted-up.ts', "import { Core } from '../core/core.ts';\nexport const y = Core;\n"],
    ['electron/vault/planted-sync.ts', "import { SyncEngine } from '../sync/engine.ts';\nexport const y = SyncEngine;\n"],
    ['electron/core/planted.ts', "import { dispatch } from '../api/dispatch.ts';\nexport const y = dispatch;\n"],
    ['electron/core/planted-dynamic.ts', "export const y = await import('../host/web.ts');\n"],
    ['electron/core/planted-require.ts', "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const y = require('../api/dispatch.ts');\n"],
    ['electron/api/planted.ts', "import { y } from '../cli.ts';\nexport const z = y;\n"],
    ['electron/core/planted-electron.ts', "import { app } from 'electron/main';\nexport const w = app;\n"],
    ['electron/core/planted-locator.ts', "import type { Core } from './core.ts';\nexport function f(core: Core) { return core; }\n"],
  ])('refuses an upward or sideways import in %s', async (file, code) => {
    expect(await problems(file, code)).not.toEqual([]);
  });

  it('allows imports of lower layers and of shared/', async () => {
    expect(await problems('electron/core/planted.ts', "import { a } from '../search/index.ts';\nimport { b } from '../store/store.ts';\nimport { c } from '../../shared/search/query.ts';\nexport const w = [a, b, c];\n")).toEqual([]);
    expect(await problems('electron/api/planted.ts', "import { a } from '../core/core.ts';\nexport const w = a;\n")).toEqual([]);
    expect(await problems('electron/sync/planted.ts', "import { a } from '../store/store.ts';\nexport const w = a;\n")).toEqual([]);
    expect(await problems('electron/core/planted.ts', "import { a } from '../sync/engine.ts';\nexport const w = a;\n")).toEqual([]);
    expect(await problems('electron/cli.ts', "import { a } from './api/dispatch.ts';\nimport { b } from './host/web.ts';\nexport const w = [a, b];\n")).toEqual([]);
  });

});
