import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const outDir = join(root, 'dist', 'renderer');

/**
 * pdf.js needs its standard fonts (PDFs that do not embed Helvetica, Times...), character maps (CJK) and wasm
 * decoders (JPX, JBIG2) at run time: they ship with the renderer, never fetched from a CDN. The worker comes from
 * the bundle itself (renderer/src/components/attachments/pdf.ts).
 */
function pdfjsAssets(): Plugin {
  return {
    name: 'ims-pdfjs-assets',
    apply: 'build',
    closeBundle() {
      const pdfjs = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
      for (const dir of ['standard_fonts', 'cmaps', 'wasm']) cpSync(join(pdfjs, dir), join(outDir, 'pdfjs', dir), { recursive: true });
    },
  };
}

export default defineConfig({
  root: join(root, 'renderer'),
  // Relative asset paths: the same build is served by app:// in Electron and http://127.0.0.1 in the browser host.
  base: './',
  plugins: [react(), pdfjsAssets()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
  },
});
