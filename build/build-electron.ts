// Bundles the Electron side for packaging: main and preload (CommonJS, as a sandboxed preload must be) and the
// core process. Native modules stay external: electron-builder ships them from node_modules.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'electron');
const common = { bundle: true, platform: 'node' as const, format: 'cjs' as const, target: 'node22', sourcemap: true, logLevel: 'warning' as const };

await Promise.all([
  build({ ...common, entryPoints: [join(root, 'electron', 'main.ts')], outfile: join(out, 'main.cjs'), external: ['electron'] }),
  build({ ...common, entryPoints: [join(root, 'electron', 'preload.ts')], outfile: join(out, 'preload.cjs'), external: ['electron'] }),
  build({ ...common, entryPoints: [join(root, 'electron', 'core', 'process-entry.ts')], outfile: join(out, 'core-process.cjs'), external: ['better-sqlite3', 'electron'] }),
]);
process.stdout.write(`built ${out}\n`);
