// The e2e tests drive the built renderer: build it once before they run.
import { build } from 'vite';
import { join } from 'node:path';
import { ROOT } from '../helpers.ts';

export default async function setup(): Promise<void> {
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}
