// pdf.js for the viewer: its worker from our own bundle (no CDN), fonts, character maps and wasm decoders shipped
// beside the renderer (vite.config.ts), and no eval (the Content Security Policy forbids it).
import { pdfjs } from 'react-pdf';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

export const PDF_OPTIONS = {
  cMapUrl: './pdfjs/cmaps/',
  cMapPacked: true,
  standardFontDataUrl: './pdfjs/standard_fonts/',
  wasmUrl: './pdfjs/wasm/',
  isEvalSupported: false,
} as const;
