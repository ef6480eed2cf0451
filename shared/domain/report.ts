// The intelligence report of an allegation, as it may leave the unit (dissemination, print, export). It never
// names the source: where the record would, it gives the allegation reference to ask the owning unit through
// (000 §5.6). The core builds it from a record whose texts it has already re-checked against the sealed source.
import type { AllegationRecord } from '../schemas/record.ts';
import { CHANNEL_LABELS, GENDER_LABELS, OFFENCE_TYPE_LABELS, REPORTER_TYPE_LABELS, STATUS_LABELS } from './vocabularies.ts';
import { unitName } from './units.ts';
import { gradingCode, gradingLines } from './grading.ts';

export interface ReportSection {
  heading: string;
  lines: string[];
}

export interface IntelligenceReport {
  reference: string;
  title: string;
  handling: string;
  /** The 3x5x2 grading it carries ("2/B/C"), or null: an ungraded report cannot be disseminated. */
  grading: string | null;
  sections: ReportSection[];
}

const addressLine = (a: { line1: string; line2: string; town: string; postcode: string; postcodeNormalised?: string | null }) =>
  [a.line1, a.line2, a.town, a.postcodeNormalised ?? a.postcode].filter(Boolean).join(', ');

export function buildReport(r: AllegationRecord, generatedAt: string, by: string): IntelligenceReport {
  const sections: ReportSection[] = [
    {
      heading: 'Summary',
      lines: [
        `Reference: ${r.reference}`,
        `Received: ${r.receivedAt.slice(0, 10)} by ${CHANNEL_LABELS[r.channel].toLowerCase()} (${REPORTER_TYPE_LABELS[r.reporterType].toLowerCase()})`,
        `Offences: ${r.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', ') || 'not recorded'}`,
        `Owning unit: ${unitName(r.unit)}; status: ${STATUS_LABELS[r.status]}`,
        r.hasSource
          ? `Source: protected. Do not seek the source's identity; any request about the source goes to ${unitName(r.unit)} quoting ${r.reference}.`
          : 'Source: not recorded.',
      ],
    },
    {
      heading: 'Grading and handling',
      lines: r.grading
        ? [...gradingLines(r.grading), `Graded by ${r.grading.gradedBy} on ${r.grading.gradedAt.slice(0, 10)}.`]
        : ['Not graded. This report cannot be disseminated until the allegation is graded (3x5x2 and harm).'],
    },
    {
      heading: 'Subjects',
      lines: r.subjects.length
        ? r.subjects.map((s) => `${[s.forename, s.middleNames, s.surname].filter(Boolean).join(' ') || '(no name)'}${s.knownAs ? ` (known as ${s.knownAs})` : ''}; ${s.role}; ${s.dob ? `born ${s.dob}` : s.approxAge ? `about ${s.approxAge}` : 'date of birth not known'}; ${GENDER_LABELS[s.gender]}; ${s.nationality || 'nationality not known'}`)
        : ['None recorded.'],
    },
    { heading: 'Addresses', lines: r.addresses.length ? r.addresses.map((a) => `${addressLine(a)} (${a.type.replace('_', ' ')})`) : ['None recorded.'] },
    { heading: 'Businesses', lines: r.businesses.length ? r.businesses.map((b) => `${b.name}${b.type ? ` (${b.type})` : ''}${b.address ? `, ${addressLine(b.address)}` : ''}`) : ['None recorded.'] },
    {
      heading: 'Identifiers',
      lines: [
        ...r.phones.map((p) => `Phone: ${p.e164 ?? p.number}`),
        ...r.emails.map((e) => `Email: ${e.normalised}`),
        ...r.vehicles.map((v) => `Vehicle: ${v.normalised}${v.description ? ` (${v.description})` : ''}`),
        ...r.travel.map((t) => `Travel: ${[t.flightNumber ?? t.flight, t.travelDate, t.origin && `from ${t.origin}`, t.destination && `to ${t.destination}`].filter(Boolean).join(' ')}`),
      ],
    },
    { heading: 'Account', lines: [r.freeText || 'No account recorded.'] },
    { heading: 'Notes', lines: r.notes.length ? r.notes.map((n) => `${n.date} (${n.author}): ${n.text}`) : ['None.'] },
    {
      heading: 'Attachments',
      lines: r.attachments.length ? r.attachments.map((a) => `${a.fileName}, ${a.pages} page(s)${r.hasSource ? ' (released only as a sanitised copy)' : ''}`) : ['None.'],
    },
  ];
  const identifiers = sections.findIndex((s) => s.heading === 'Identifiers');
  if (!sections[identifiers]?.lines.length) sections.splice(identifiers, 1);
  const grading = r.grading ? gradingCode(r.grading) : null;
  return {
    reference: r.reference,
    title: `Intelligence report ${r.reference}`,
    handling: `OFFICIAL-SENSITIVE. ${grading ? `Grading ${grading}${r.grading?.handling === 'C' ? ' (conditions below)' : ''}` : 'Not graded'}. Generated ${generatedAt.slice(0, 16).replace('T', ' ')} by ${by}.`,
    grading,
    sections,
  };
}

export function reportText(report: IntelligenceReport): string {
  return [report.title, report.handling, '', ...report.sections.flatMap((s) => [s.heading.toUpperCase(), ...s.lines.map((l) => `  ${l}`), ''])].join('\n');
}
