// The page of an attachment as the viewer shows it: a PDF page drawn by react-pdf, or a page image (TIFF, JPEG,
// PNG and every sanitised copy), with outlines over it (a suggestion's place, the writer's details); and the
// page's text with search words highlighted.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert } from '@mantine/core';
import { Document, Page } from 'react-pdf';
import type { BoxView } from '../../../../shared/api/attachments.ts';
import { CallError } from '../../api/client.ts';
import { useCall } from '../../api/useCall.ts';
import { readWhole } from './files.ts';
import { PDF_OPTIONS } from './pdf.ts';
import { Busy } from '../Busy.tsx';

/** Words of a search to highlight: quoted phrases whole, field filters and operators left out. */
export function highlightTerms(q: string): string[] {
  const terms: string[] = [];
  for (const m of q.matchAll(/"([^"]+)"|(\S+)/g)) {
    const t = (m[1] ?? m[2] ?? '').replace(/^[-+]/, '').replace(/\*$/, '');
    if (!t || /^(AND|OR|NOT)$/.test(t) || t.includes(':')) continue;
    if (t.length >= 2) terms.push(t);
  }
  return terms;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function Highlighted({ text, terms }: { text: string; terms: string[] }): ReactNode {
  const usable = terms.filter((t) => t.trim().length >= 2);
  if (!usable.length) return text;
  const re = new RegExp(`(${usable.map((t) => escapeRe(t).replace(/\s+/g, '\\s+')).join('|')})`, 'gi');
  return text.split(re).map((part, i) =>
    i % 2 === 1 ? (
      <mark key={i} className="hit">
        {part}
      </mark>
    ) : (
      part
    ),
  );
}

/** Outlines on the page, in percentages of the page image so that they follow any zoom. */
export function Overlay({ boxes, frame, kind }: { boxes: BoxView[]; frame: { width: number; height: number } | null; kind: 'suggestion' | 'source' }) {
  if (!frame || !frame.width || !frame.height) return null;
  return (
    <>
      {boxes.map((b, i) => (
        <div
          key={i}
          className={`page-box page-box-${kind}`}
          aria-hidden
          style={{ left: `${(100 * b.x0) / frame.width}%`, top: `${(100 * b.y0) / frame.height}%`, width: `${(100 * (b.x1 - b.x0)) / frame.width}%`, height: `${(100 * (b.y1 - b.y0)) / frame.height}%` }}
        />
      ))}
    </>
  );
}

export function PdfPage({ id, page, width, children }: { id: string; page: number; width: number; children: ReactNode }) {
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    readWhole('attachments.content', id).then(
      (f) => current && setBytes(f.bytes),
      (e: unknown) => current && setError(e instanceof CallError ? e.message : String(e)),
    );
    return () => {
      current = false;
    };
  }, [id]);
  // pdf.js takes the bytes to its worker: give it its own copy, once.
  const file = useMemo(() => (bytes ? { data: bytes.slice() } : null), [bytes]);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!file) return <Busy label="Loading the PDF" />;
  return (
    <Document file={file} options={PDF_OPTIONS} suspense={false} loading={<Busy label="Loading the PDF" />} error={<Alert color="red">The PDF could not be shown.</Alert>}>
      <div className="page-frame">
        <Page pageNumber={page} width={width} suspense={false} renderTextLayer={false} renderAnnotationLayer={false} loading={<Busy label="Drawing the page" />} />
        {children}
      </div>
    </Document>
  );
}

export function ImagePage({ id, page, variant, width, children, onFrame }: { id: string; page: number; variant: 'original' | 'sanitised'; width: number; children: ReactNode; onFrame: (f: { width: number; height: number }) => void }) {
  const { data, error, loading } = useCall('attachments.page', { id, page, variant });
  useEffect(() => {
    if (data) onFrame({ width: data.width, height: data.height });
  }, [data, onFrame]);
  if (error) return <Alert color={error.code === 'forbidden' ? 'orange' : 'red'}>{error.message}</Alert>;
  if (!data || loading) return <Busy label="Loading the page" />;
  return (
    <div className="page-frame" style={{ width }}>
      <img src={`data:image/png;base64,${data.png}`} alt={`Page ${page}${variant === 'sanitised' ? ' (sanitised copy)' : ''}`} style={{ width: '100%', display: 'block' }} />
      {children}
    </div>
  );
}
