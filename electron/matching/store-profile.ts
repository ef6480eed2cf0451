// An allegation's match profile, made from the store's one reader of an allegation (the form's parts, the
// account, notes and attachment text — legacy text and OCR'd pages alike).
import type { Db } from '../store/db.ts';
import { readStored } from '../store/allegations.ts';
import { buildProfile, type AllegationDraft, type MatchProfile } from '../../shared/matching/allegation.ts';

export function draftFromStore(db: Db, id: string): AllegationDraft | null {
  const s = readStored(db, id);
  if (!s) return null;
  const place = (r: { line1: string; line2: string; town: string; postcode_raw: string }) => ({ line1: r.line1, line2: r.line2, town: r.town, postcode: r.postcode_raw });
  return {
    receivedAt: s.a.received_at,
    subjects: s.subjects.map((r) => ({
      role: r.role,
      forename: r.forename,
      middleNames: r.middle_names,
      surname: r.surname,
      knownAs: r.known_as,
      aliases: JSON.parse(r.aliases) as string[],
      dob: r.dob,
      approxAge: r.approx_age,
      gender: r.gender,
      nationality: r.nationality,
    })),
    addresses: s.addresses.filter((r) => !r.business_id).map((r) => ({ type: r.type, ...place(r) })),
    businesses: s.businesses.map((b) => {
      const addr = s.addresses.find((r) => r.business_id === b.id);
      return { name: b.name, type: b.type, address: addr ? place(addr) : null };
    }),
    phones: s.phones.map((r) => r.number_raw),
    emails: s.emails.map((r) => r.email_raw),
    vehicles: s.vehicles.map((r) => r.vrm_raw),
    flights: s.travel.map((r) => r.flight_raw),
    freeText: s.a.free_text,
    notes: s.notes.map((n) => ({ text: n.text })),
    attachmentTexts: [...s.attachments.filter((t) => t.legacy_text).map((t) => t.legacy_text), ...s.pages.filter((p) => p.text).map((p) => p.text)],
  };
}

export function profileFromStore(db: Db, id: string): MatchProfile | null {
  const draft = draftFromStore(db, id);
  return draft ? buildProfile(draft) : null;
}
