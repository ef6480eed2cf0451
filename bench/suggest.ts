// Recall of suggested fields on the facts that exist only in attachment text (the corpus's truth ocrOnly[]).
//   npm run bench -- suggest [--file allegations.jsonl] [--truth truth.json]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { suggestFields, type SuggestedField } from '../shared/attachments/suggest-fields.ts';
import { findSourceRegions } from '../shared/sources/in-scan.ts';
import { foldName, normalisePhone } from '../shared/text/normalise.ts';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'corpus');

interface Fact {
  id: number;
  type: 'associate_name' | 'flight' | 'phone' | 'vehicle';
  value: string;
  normalized?: string;
  intactInOcr: boolean;
}

function matches(f: Fact, s: SuggestedField): boolean {
  switch (f.type) {
    case 'associate_name':
      return s.kind === 'name' && foldName(s.value) === foldName(f.value);
    case 'flight':
      return s.kind === 'flight' && s.value === f.normalized;
    case 'phone':
      return s.kind === 'phone' && s.value === normalisePhone(f.normalized ?? f.value).national;
    case 'vehicle':
      return s.kind === 'vrm' && s.value === f.normalized;
  }
}

export async function run(args: string[]) {
  const { values } = parseArgs({ args, options: { file: { type: 'string' }, truth: { type: 'string' } } });
  const file = values.file ?? join(CORPUS, 'allegations-10k.jsonl');
  const truth = JSON.parse(readFileSync(values.truth ?? join(CORPUS, 'truth-10k.json'), 'utf8')) as { ocrOnly: Fact[] };
  const suggestions = new Map<number, SuggestedField[]>();
  let attachments = 0;
  let total = 0;
  const t0 = performance.now();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { id: number; attachments: Array<{ ocrText: string }> };
    const all: SuggestedField[] = [];
    for (const a of r.attachments) {
      attachments++;
      const pages = [{ page: 1, text: a.ocrText }];
      const regions = findSourceRegions(pages);
      const s = suggestFields(pages, regions);
      total += s.length;
      all.push(...s);
    }
    suggestions.set(r.id, all);
  }
  const ms = performance.now() - t0;
  const byType: Record<string, { facts: number; found: number; intact: number; foundIntact: number }> = {};
  for (const f of truth.ocrOnly) {
    const t = (byType[f.type] ??= { facts: 0, found: 0, intact: 0, foundIntact: 0 });
    const hit = (suggestions.get(f.id) ?? []).some((s) => matches(f, s));
    t.facts++;
    if (hit) t.found++;
    if (f.intactInOcr) {
      t.intact++;
      if (hit) t.foundIntact++;
    }
  }
  const sum = Object.values(byType).reduce((a, t) => ({ facts: a.facts + t.facts, found: a.found + t.found, intact: a.intact + t.intact, foundIntact: a.foundIntact + t.foundIntact }), { facts: 0, found: 0, intact: 0, foundIntact: 0 });
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    bench: 'suggest',
    file,
    attachments,
    suggestions: total,
    msPerAttachment: r3(ms / attachments),
    recall: r3(sum.found / sum.facts),
    recallWhereOcrLeftItIntact: r3(sum.foundIntact / sum.intact),
    byType: Object.fromEntries(Object.entries(byType).map(([k, t]) => [k, { facts: t.facts, recall: r3(t.found / t.facts), recallIntact: r3(t.foundIntact / t.intact) }])),
  };
}
