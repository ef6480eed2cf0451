// The e2e tests drive the built renderer: build it once before they run, as `npm run build` builds it for the desk.
// Vitest runs with NODE_ENV=test, and Vite builds React's development bundle for any NODE_ENV but production
// (4.3 MB, with its development checks on every render): the build is made as a production one, then NODE_ENV
// is put back for the tests.
import { build } from 'vite';
import { join } from 'node:path';
import { ROOT } from '../helpers.ts';

export default async function setup(): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
