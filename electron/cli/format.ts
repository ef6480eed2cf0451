// Text for a terminal. Everything that came from a user or a file is written through terminalSafe: a name
// holding ESC or a right-to-left override is shown with the character named (<ESC>, <RLO>), never obeyed.
import type { AllegationRecord } from '../../shared/schemas/record.ts';
import { CHANNEL_LABELS, OFFENCE_TYPE_LABELS, REPORTER_TYPE_LABELS, STATUS_LABELS } from '../../shared/domain/vocabularies.ts';
import { unitName } from '../../shared/domain/units.ts';
import { jsonSafe, terminalSafe } from '../../shared/text/hidden-chars.ts';

/** One value on one line: every hidden character named, line breaks included. */
export const line = (value: string | null | undefined): string => terminalSafe(value ?? '');
/** Multi-line text (an account, a note): line breaks and tabs kept, every other hidden character named. */
export const block = (value: string | null | undefined): string => terminalSafe(value ?? '', true);

/** JSON for stdout: hidden characters escaped, so a terminal showing it obeys none of them. */
export function jsonText(value: unknown): string {
  return `${jsonSafe(JSON.stringify(value, null, 2))}\n`;
}

/** The record as readable text for a terminal. */
export function formatRecordText(r: AllegationRecord): string {
  const lines: string[] = [];
  const section = (title: string) => lines.push('', title.toUpperCase());
  const joined = (parts: Array<string | null | undefined>, sep = ', ') => parts.filter(Boolean).map(line).join(sep);
  lines.push(`${r.reference}  ${STATUS_LABELS[r.status]}  ${unitName(r.unit)}`);
  lines.push(`Received ${r.receivedAt} by ${CHANNEL_LABELS[r.channel]} from ${REPORTER_TYPE_LABELS[r.reporterType]}`);
  lines.push(`Offences: ${r.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', ') || 'none recorded'}`);
  if (r.assessmentDueAt) lines.push(`Initial assessment due ${r.assessmentDueAt}`);
  if (r.hasSource) lines.push('Source details are held in the restricted pane.');
  section('Subjects');
  for (const s of r.subjects) lines.push(`- ${joined([s.forename, s.middleNames, s.surname], ' ')}${s.knownAs ? ` (known as ${line(s.knownAs)})` : ''}, ${s.role}, ${s.dob ?? (s.approxAge ? `about ${s.approxAge}` : 'DOB not known')}, ${s.gender}, ${line(s.nationality) || 'nationality not known'}`);
  section('Addresses');
  for (const a of r.addresses) lines.push(`- ${joined([a.line1, a.line2, a.town, a.postcode])} (${a.type})${a.postcodeProblem ? `  [postcode ${a.postcodeProblem}; kept as written]` : ''}`);
  if (r.businesses.length) {
    section('Businesses');
    for (const b of r.businesses) lines.push(`- ${line(b.name)} (${line(b.type)})${b.address ? `, ${joined([b.address.line1, b.address.line2, b.address.town, b.address.postcode])}` : ''}`);
  }
  if (r.phones.length) lines.push('', `Phones: ${r.phones.map((p) => `${line(p.number)}${p.problem ? ` [${p.problem}; kept as written]` : ''}`).join('; ')}`);
  if (r.emails.length) lines.push(`Emails: ${r.emails.map((e) => line(e.email)).join('; ')}`);
  if (r.vehicles.length) lines.push(`Vehicles: ${r.vehicles.map((v) => line(v.vrm)).join('; ')}`);
  if (r.travel.length) lines.push(`Flights: ${r.travel.map((t) => line(t.flight)).join('; ')}`);
  section('Account');
  lines.push(block(r.freeText) || '(none)');
  section(`Notes (${r.notes.length})`);
  for (const n of r.notes) lines.push(`- ${n.date} ${line(n.author)}: ${block(n.text)}`);
  section(`Attachments (${r.attachments.length})`);
  for (const a of r.attachments) lines.push(`- ${line(a.fileName)} (${line(a.mimeType)}, ${a.pages} page${a.pages === 1 ? '' : 's'}, text: ${a.ocrStatus})`);
  return `${lines.join('\n')}\n`;
}
