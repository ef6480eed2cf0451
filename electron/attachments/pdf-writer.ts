// The sanitised copy as one PDF for sending outside: each page a greyscale image, losslessly compressed, so the
// blacked-out boxes stay solid black. Pages are laid out 8.5 inches wide, the height kept in proportion.
import { deflateSync } from 'node:zlib';

export interface GreyPage {
  /** 8-bit greyscale pixels, row by row. */
  data: Buffer;
  width: number;
  height: number;
}

export function pdfFromGreyPages(pages: readonly GreyPage[]): Buffer {
  const objects: Buffer[] = [];
  const kids: number[] = [];
  // Objects 1 and 2 are the catalogue and the page tree, written once the pages are known.
  objects.push(Buffer.alloc(0), Buffer.alloc(0));
  for (const p of pages) {
    const w = 612;
    const h = Math.round((612 * p.height) / p.width * 100) / 100;
    const pixels = deflateSync(p.data, { level: 6 });
    const imageObj = objects.length + 1;
    objects.push(Buffer.concat([Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${p.width} /Height ${p.height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length ${pixels.length} >>\nstream\n`, 'latin1'), pixels, Buffer.from('\nendstream', 'latin1')]));
    const content = `q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q`;
    const contentObj = objects.length + 1;
    objects.push(Buffer.from(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`, 'latin1'));
    kids.push(objects.length + 1);
    objects.push(Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Im0 ${imageObj} 0 R >> >> /Contents ${contentObj} 0 R >>`, 'latin1'));
  }
  objects[0] = Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1');
  objects[1] = Buffer.from(`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`, 'latin1');
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((obj, i) => {
    offsets.push(length);
    const body = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), obj, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(body);
    length += body.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}
