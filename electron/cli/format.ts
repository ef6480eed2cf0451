import type { AllegationRecord } from '../../shared/schemas/record.ts';
import { CHANNEL_LABELS, OFFENCE_TYPE_LABELS, REPORTER_TYPE_LABELS, STATUS_LABELS } from '../../shared/domain/vocabularies.ts';
import { unitName } from '../../shared/domain/units.ts';

/** The record as readable text for a terminal. */
export function formatRecordText(r: AllegationRecord): string {
  const lines: string[] = [];
  const section = (title: string) => lines.push('', title.toUpperCase());
  lines.push(`${r.reference}  ${STATUS_LABELS[r.status]}  ${unitName(r.unit)}`);
  lines.push(`Received ${r.receivedAt} by ${CHANNEL_LABELS[r.channel]} from ${REPORTER_TYPE_LABELS[r.reporterType]}`);
  lines.push(`Offences: ${r.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', ') || 'none recorded'}`);
  if (r.assessmentDueAt) lines.push(`Initial assessment due ${r.assessmentDueAt}`);
  if (r.hasSource) lines.push('Source details are held in the restricted pane.');
  section('Subjects');
  for (const s of r.subjects) lines.push(`- ${[s.forename, s.middleNames, s.surname].filter(Boolean).join(' ')}${s.knownAs ? ` (known as ${s.knownAs})` : ''}, ${s.role}, ${s.dob ?? (s.approxAge ? `about ${s.approxAge}` : 'DOB not known')}, ${s.gender}, ${s.nationality || 'nationality not known'}`);
  section('Addresses');
  for (const a of r.addresses) lines.push(`- ${[a.line1, a.line2, a.town, a.postcode].filter(Boolean).join(', ')} (${a.type})`);
  if (r.businesses.length) {
    section('Businesses');
    for (const b of r.businesses) lines.push(`- ${b.name} (${b.type})${b.address ? `, ${[b.address.line1, b.address.line2, b.address.town, b.address.postcode].filter(Boolean).join(', ')}` : ''}`);
  }
  if (r.phones.length) lines.push('', `Phones: ${r.phones.map((p) => p.number).join('; ')}`);
  if (r.emails.length) lines.push(`Emails: ${r.emails.map((e) => e.email).join('; ')}`);
  if (r.vehicles.length) lines.push(`Vehicles: ${r.vehicles.map((v) => v.vrm).join('; ')}`);
  if (r.travel.length) lines.push(`Flights: ${r.travel.map((t) => t.flight).join('; ')}`);
  section('Account');
  lines.push(r.freeText || '(none)');
  section(`Notes (${r.notes.length})`);
  for (const n of r.notes) lines.push(`- ${n.date} ${n.author}: ${n.text}`);
  section(`Attachments (${r.attachments.length})`);
  for (const a of r.attachments) lines.push(`- ${a.fileName} (${a.mimeType}, ${a.pages} page${a.pages === 1 ? '' : 's'}, text: ${a.ocrStatus})`);
  return `${lines.join('\n')}\n`;
}
