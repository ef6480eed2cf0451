// The ways an allegation's content arrives (a submission file, the electronic form) put into one shape for the
// store, and back into the form for editing.
import type { SubmissionRecord } from '../../shared/schemas/submission.ts';
import type { AllegationForm } from '../../shared/schemas/form.ts';
import type { AllegationRecord } from '../../shared/schemas/record.ts';
import type { AllegationContent } from '../store/allegation-write.ts';

export function contentFromSubmission(s: SubmissionRecord): AllegationContent {
  return {
    reference: s.reference,
    submissionId: s.id ?? null,
    receivedAt: s.receivedAt,
    channel: s.channel,
    reporterType: s.reporterType,
    offenceTypes: s.offenceTypes,
    freeText: s.freeText,
    scanMissingReason: null,
    subjects: s.subjects.map((x) => ({ ...x, aliases: [] })),
    addresses: s.addresses,
    businesses: s.businesses,
    phones: s.phones,
    emails: s.emails,
    vehicles: s.vehicles.map((vrm) => ({ vrm, description: '' })),
    travel: s.flights.map((flight) => ({ flight, travelDate: null, origin: '', destination: '' })),
    notes: s.notes,
    legacyAttachments: s.attachments.map((a) => ({ fileName: a.fileName, mimeType: a.mimeType, pages: a.pages, text: a.ocrText })),
    source: s.source,
  };
}

const sourceIsEmpty = (s: NonNullable<AllegationForm['source']>) => Object.values(s).every((v) => !v.trim());

export function contentFromForm(form: AllegationForm, reference: string): AllegationContent {
  return {
    reference,
    submissionId: null,
    receivedAt: form.receivedAt,
    channel: form.channel,
    reporterType: form.reporterType,
    offenceTypes: form.offenceTypes,
    freeText: form.freeText.trim(),
    scanMissingReason: form.scanMissingReason.trim() || null,
    subjects: form.subjects.map(({ id: _id, dob, ...x }) => ({ ...x, dob: dob || null, approxAge: dob ? null : x.approxAge })),
    addresses: form.addresses.map(({ id: _id, ...x }) => x),
    businesses: form.businesses.map(({ id: _id, ...x }) => x),
    phones: form.phones.map((p) => p.number),
    emails: form.emails.map((e) => e.email),
    vehicles: form.vehicles.map(({ id: _id, ...x }) => x),
    travel: form.travel.map(({ id: _id, travelDate, ...x }) => ({ ...x, travelDate: travelDate || null })),
    notes: [],
    legacyAttachments: [],
    source: form.source && !sourceIsEmpty(form.source) ? { ...form.source } : null,
  };
}

/** The electronic form of a stored allegation (without its source details, which only the pane shows). */
export function formFromRecord(r: AllegationRecord): AllegationForm {
  const addr = (a: { line1: string; line2: string; town: string; postcode: string }) => ({ line1: a.line1, line2: a.line2, town: a.town, postcode: a.postcode });
  return {
    channel: r.channel,
    reporterType: r.reporterType,
    receivedAt: r.receivedAt,
    offenceTypes: r.offenceTypes,
    freeText: r.freeText,
    scanMissingReason: r.scanMissingReason ?? '',
    subjects: r.subjects.map((s) => ({ id: s.id, role: s.role, forename: s.forename, middleNames: s.middleNames, surname: s.surname, knownAs: s.knownAs, aliases: s.aliases, dob: s.dob ?? '', approxAge: s.approxAge, gender: s.gender, nationality: s.nationality })),
    addresses: r.addresses.map((a) => ({ id: a.id, type: a.type, ...addr(a) })),
    businesses: r.businesses.map((b) => ({ id: b.id, name: b.name, type: b.type, address: b.address ? addr(b.address) : null })),
    phones: r.phones.map((p) => ({ id: p.id, number: p.number })),
    emails: r.emails.map((e) => ({ id: e.id, email: e.email })),
    vehicles: r.vehicles.map((v) => ({ id: v.id, vrm: v.vrm, description: v.description })),
    travel: r.travel.map((t) => ({ id: t.id, flight: t.flight, travelDate: t.travelDate ?? '', origin: t.origin, destination: t.destination })),
    source: null,
    accepted: [],
  };
}
