// A candidate side by side with the current record, row by row, each row saying whether that part agreed or
// differed and how strongly; then the explanation, strongest evidence first. Built to decide in seconds.
import type { ReactNode } from 'react';
import { Badge, Group, List, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconMinus, IconX } from '@tabler/icons-react';
import type { ExplanationLineView, LinkSide } from '../../../../shared/api/links.ts';
import { OFFENCE_TYPE_LABELS, OUTCOME_LABELS, STATUS_LABELS, LINK_JUDGEMENTS, type LinkJudgement } from '../../../../shared/domain/vocabularies.ts';
import { unitName } from '../../../../shared/domain/units.ts';
import { formatDate, formatDateTime } from '../../format.ts';
import { evidenceWords, probabilityText } from '../../../../shared/matching/strength.ts';

export const LABEL_TEXT: Record<string, string> = { likely_duplicate: 'Likely duplicate', possible_associate: 'Possible associate', weak: 'Weak' };
export const LABEL_COLOUR: Record<string, string> = { likely_duplicate: 'red', possible_associate: 'orange', weak: 'gray' };
export const JUDGEMENT_TEXT: Record<LinkJudgement, string> = { duplicate: 'Same allegation (duplicate)', associated: 'Associated', not_a_match: 'Not a match' };
export const JUDGEMENT_COLOUR: Record<LinkJudgement, string> = { duplicate: 'red', associated: 'orange', not_a_match: 'gray' };
export { LINK_JUDGEMENTS };

/** "97% likely": the score as people read it. */
export function scoreText(score: number): string {
  // Never "100%": a person decides, and the score says how strongly the evidence points, not that it is so.
  return `${probabilityText(score)} likely the same`;
}

export function LabelBadge({ label, score }: { label: string; score: number }) {
  return (
    <Badge color={LABEL_COLOUR[label] ?? 'gray'} variant="light" size="sm" styles={{ root: { flexShrink: 0, overflow: 'visible' }, label: { overflow: 'visible' } }}>
      {LABEL_TEXT[label] ?? label} · {scoreText(score)}
    </Badge>
  );
}

const ROWS: Array<{ key: keyof LinkSide | 'received'; label: string; fields: string[] }> = [
  { key: 'subjects', label: 'Subjects', fields: ['surname', 'forename', 'name_order', 'dob', 'age', 'gender', 'nationality'] },
  { key: 'addresses', label: 'Addresses', fields: ['postcode', 'street', 'house_number', 'town'] },
  { key: 'businesses', label: 'Businesses', fields: ['business'] },
  { key: 'phones', label: 'Phones', fields: ['phone'] },
  { key: 'emails', label: 'Emails', fields: ['email'] },
  { key: 'vehicles', label: 'Vehicles', fields: ['vehicle'] },
  { key: 'flights', label: 'Flights', fields: ['flight'] },
];

function Values({ items }: { items: ReactNode[] }) {
  if (items.length === 0) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Stack gap={2}>
      {items.map((x, i) => (
        <Text size="sm" key={i}>
          {x}
        </Text>
      ))}
    </Stack>
  );
}

function cell(side: LinkSide, key: (typeof ROWS)[number]['key']): ReactNode[] {
  if (key === 'subjects') return side.subjects.map((s) => `${s.name}${s.dob ? `, born ${formatDate(s.dob)}` : s.approxAge ? `, about ${s.approxAge}` : ''}${s.nationality ? `, ${s.nationality}` : ''}${s.role !== 'main' ? ` (${s.role})` : ''}`);
  if (key === 'received') return [];
  const v = side[key];
  return Array.isArray(v) ? (v as string[]) : [];
}

function Verdict({ lines }: { lines: ExplanationLineView[] }) {
  if (lines.length === 0) return <Text size="xs" c="dimmed">not compared</Text>;
  const bits = Math.round(lines.reduce((s, l) => s + l.bits, 0) * 10) / 10;
  const agrees = lines.some((l) => l.direction === 'agrees');
  const differs = lines.some((l) => l.direction === 'differs');
  const colour = agrees && !differs ? 'teal.9' : differs && !agrees ? 'red.9' : 'yellow.9';
  const word = agrees && !differs ? 'Agrees' : differs && !agrees ? 'Differs' : agrees ? 'Partly agrees' : 'Neutral';
  return (
    <Group gap={4} wrap="nowrap">
      {agrees && !differs ? <IconCheck size={14} aria-hidden /> : differs && !agrees ? <IconX size={14} aria-hidden /> : <IconMinus size={14} aria-hidden />}
      <Text size="sm" fw={600} c={colour}>
        {word}{' '}
        <Text span size="xs" c="dimmed">
          ({evidenceWords(bits)})
        </Text>
      </Text>
    </Group>
  );
}

function sideTitle(side: LinkSide, fallback: string): string {
  return side.reference ?? fallback;
}

export function SideBySide({ current, candidate, explanation, currentTitle = 'This record' }: { current: LinkSide; candidate: LinkSide; explanation: ExplanationLineView[]; currentTitle?: string }) {
  const rows = ROWS.filter((r) => cell(current, r.key).length || cell(candidate, r.key).length);
  return (
    <Table withTableBorder withColumnBorders fz="sm" verticalSpacing={6} layout="fixed" aria-label={`${sideTitle(current, currentTitle)} and ${sideTitle(candidate, 'the candidate')} side by side`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={120} scope="col">
            Field
          </Table.Th>
          <Table.Th scope="col">{current.reference ? `${currentTitle} (${current.reference})` : currentTitle}</Table.Th>
          <Table.Th scope="col">Candidate {candidate.reference}</Table.Th>
          <Table.Th w={170} scope="col">
            Comparison
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        <Table.Tr>
          <Table.Th scope="row">Received</Table.Th>
          <Table.Td>{current.receivedAt ? formatDateTime(current.receivedAt) : '—'}</Table.Td>
          <Table.Td>{candidate.receivedAt ? formatDateTime(candidate.receivedAt) : '—'}</Table.Td>
          <Table.Td />
        </Table.Tr>
        <Table.Tr>
          <Table.Th scope="row">Where it stands</Table.Th>
          <Table.Td>{current.status ? `${STATUS_LABELS[current.status]}${current.unit ? ` · ${unitName(current.unit)}` : ''}` : 'Not saved yet'}</Table.Td>
          <Table.Td>
            {candidate.status ? STATUS_LABELS[candidate.status] : '—'}
            {candidate.unit ? ` · ${unitName(candidate.unit)}` : ''}
            {candidate.outcome ? ` · ${OUTCOME_LABELS[candidate.outcome]}` : ''}
          </Table.Td>
          <Table.Td />
        </Table.Tr>
        <Table.Tr>
          <Table.Th scope="row">Offence</Table.Th>
          <Table.Td>{current.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', ') || '—'}</Table.Td>
          <Table.Td>{candidate.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', ') || '—'}</Table.Td>
          <Table.Td />
        </Table.Tr>
        {rows.map((r) => (
          <Table.Tr key={r.key}>
            <Table.Th scope="row">{r.label}</Table.Th>
            <Table.Td>
              <Values items={cell(current, r.key)} />
            </Table.Td>
            <Table.Td>
              <Values items={cell(candidate, r.key)} />
            </Table.Td>
            <Table.Td>
              <Verdict lines={explanation.filter((l) => r.fields.includes(l.field))} />
            </Table.Td>
          </Table.Tr>
        ))}
        <Table.Tr>
          <Table.Th scope="row">Account</Table.Th>
          <Table.Td>
            <Text size="xs" className="record-text" lineClamp={6}>
              {current.account || '—'}
            </Text>
          </Table.Td>
          <Table.Td>
            <Text size="xs" className="record-text" lineClamp={6}>
              {candidate.account || '—'}
            </Text>
          </Table.Td>
          <Table.Td />
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

export function Explanation({ lines }: { lines: ExplanationLineView[] }) {
  if (lines.length === 0) return <Text size="sm">Nothing compared agrees or differs.</Text>;
  return (
    <List spacing={4} size="sm" center aria-label="Why it was proposed: each field compared, strongest first">
      {lines.map((l, i) => (
        <List.Item
          key={i}
          icon={
            <ThemeIcon size={18} radius="xl" variant="light" color={l.direction === 'agrees' ? 'teal' : l.direction === 'differs' ? 'red' : 'gray'} aria-hidden>
              {l.direction === 'agrees' ? <IconCheck size={12} /> : l.direction === 'differs' ? <IconX size={12} /> : <IconMinus size={12} />}
            </ThemeIcon>
          }
        >
          <Group gap={6} wrap="nowrap">
            <Text size="sm" span>
              <Text span fw={600} size="sm">
                {l.direction === 'agrees' ? 'Agrees' : l.direction === 'differs' ? 'Differs' : 'Neutral'}:
              </Text>{' '}
              {l.text}
            </Text>
          </Group>
        </List.Item>
      ))}
    </List>
  );
}
