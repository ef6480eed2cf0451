import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: join(root, 'renderer'),
  // Relative asset paths: the same build is served by app:// in Electron and http://127.0.0.1 in the browser host.
  base: './',
  plugins: [react()],
  build: {
    outDir: join(root, 'dist', 'renderer'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
  },
});
