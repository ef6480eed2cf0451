import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers.ts';

const require = createRequire(import.meta.url);

describe('packaging', () => {
  const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

  it("passes electron-builder's own schema validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, log: { add(k: string, v: unknown): void; isEnabled: boolean }): Promise<void>;
    };
    await expect(validateConfiguration(config, { add: () => undefined, isEnabled: false })).resolves.toBeUndefined();
  });

  it('does not rebuild the Node-API module and writes outside the compiler output', () => {
    expect(config.npmRebuild).toBe(false);
    expect((config.directories as { output: string }).output).toBe('release');
  });

  it('starts the bundled main process that build:electron writes', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; engines: { node: string } };
    expect(pkg.main).toBe('dist/electron/main.cjs');
    expect((config.extraMetadata as { main: string }).main).toBe(pkg.main);
    expect(pkg.engines.node).toMatch(/22/);
  });
});
