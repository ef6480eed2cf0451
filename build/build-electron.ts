// Bundles the Electron side for packaging: main and preload (CommonJS, as a sandboxed preload must be), the core
// process, and the OCR pool's page worker as its own entry (the pool forks it with Electron's binary as Node).
// Native modules and the packages that load files of their own at run time (tesseract.js-core reads its wasm
// beside itself; pdf.js loads its worker, fonts and cmaps) stay external: electron-builder ships them from
// node_modules, the native and data parts unpacked from the asar (electron-builder.yml); pdfkit reads its font
// metrics beside itself.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'electron');
const common = { bundle: true, platform: 'node' as const, format: 'cjs' as const, target: 'node22', sourcemap: true, logLevel: 'warning' as const };
// The sources are ES modules that find files beside themselves with import.meta.url; in a CommonJS bundle that is
// the bundle's own file.
const importMetaUrl = {
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
};
/** Packages the core and the page worker load from node_modules at run time. */
const RUNTIME_EXTERNAL = ['electron', 'better-sqlite3', 'sharp', 'tesseract.js-core', 'pdfjs-dist', '@napi-rs/canvas', '@tesseract.js-data/eng', 'pdfkit'];

await Promise.all([
  build({ ...common, entryPoints: [join(root, 'electron', 'main.ts')], outfile: join(out, 'main.cjs'), external: ['electron'] }),
  build({ ...common, entryPoints: [join(root, 'electron', 'preload.ts')], outfile: join(out, 'preload.cjs'), external: ['electron'] }),
  build({ ...common, ...importMetaUrl, entryPoints: [join(root, 'electron', 'host', 'core-process.ts')], outfile: join(out, 'core-process.cjs'), external: RUNTIME_EXTERNAL }),
  build({ ...common, ...importMetaUrl, entryPoints: [join(root, 'electron', 'attachments', 'page-worker.ts')], outfile: join(out, 'page-worker.cjs'), external: RUNTIME_EXTERNAL }),
]);
process.stdout.write(`built ${out}\n`);
