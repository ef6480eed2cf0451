// An allegation's match profile, read from the case store's tables (the form's parts, the account, notes and
// attachment text — legacy text and OCR'd pages alike).
import type { Db } from '../store/db.ts';
import { prepared as stmt } from '../store/statements.ts';
import { buildProfile, type AllegationDraft, type MatchProfile } from '../../shared/matching/allegation.ts';

export function draftFromStore(db: Db, id: string): AllegationDraft | null {
  const a = stmt(db, 'SELECT received_at, free_text FROM allegations WHERE id = ?').get(id) as { received_at: string; free_text: string } | undefined;
  if (!a) return null;
  const all = <T>(sql: string): T[] => stmt(db, sql).all(id) as T[];
  const subjects = all<{ role: string; forename: string; middle_names: string; surname: string; known_as: string; aliases: string; dob: string | null; approx_age: number | null; gender: string; nationality: string }>(
    'SELECT role, forename, middle_names, surname, known_as, aliases, dob, approx_age, gender, nationality FROM subjects WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal',
  );
  const addressRows = all<{ type: string; business_id: string | null; line1: string; line2: string; town: string; postcode_raw: string }>(
    'SELECT type, business_id, line1, line2, town, postcode_raw FROM addresses WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal',
  );
  const businesses = all<{ id: string; name: string; type: string }>('SELECT id, name, type FROM businesses WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal');
  const pageTexts = all<{ text: string }>(
    "SELECT p.text FROM attachment_pages p JOIN attachments t ON t.id = p.attachment_id WHERE t.allegation_id = ? AND p.text <> '' ORDER BY t.ordinal, p.page_no",
  );
  return {
    receivedAt: a.received_at,
    subjects: subjects.map((s) => ({
      role: s.role,
      forename: s.forename,
      middleNames: s.middle_names,
      surname: s.surname,
      knownAs: s.known_as,
      aliases: JSON.parse(s.aliases) as string[],
      dob: s.dob,
      approxAge: s.approx_age,
      gender: s.gender,
      nationality: s.nationality,
    })),
    addresses: addressRows.filter((r) => !r.business_id).map((r) => ({ type: r.type, line1: r.line1, line2: r.line2, town: r.town, postcode: r.postcode_raw })),
    businesses: businesses.map((b) => {
      const addr = addressRows.find((r) => r.business_id === b.id);
      return { name: b.name, type: b.type, address: addr ? { line1: addr.line1, line2: addr.line2, town: addr.town, postcode: addr.postcode_raw } : null };
    }),
    phones: all<{ number_raw: string }>('SELECT number_raw FROM phones WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal').map((r) => r.number_raw),
    emails: all<{ email_raw: string }>('SELECT email_raw FROM emails WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal').map((r) => r.email_raw),
    vehicles: all<{ vrm_raw: string }>('SELECT vrm_raw FROM vehicles WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal').map((r) => r.vrm_raw),
    flights: all<{ flight_raw: string }>('SELECT flight_raw FROM travel WHERE allegation_id = ? AND removed_at IS NULL ORDER BY ordinal').map((r) => r.flight_raw),
    freeText: a.free_text,
    notes: all<{ text: string }>('SELECT text FROM notes WHERE allegation_id = ? ORDER BY created_at'),
    attachmentTexts: [...all<{ legacy_text: string }>("SELECT legacy_text FROM attachments WHERE allegation_id = ? AND legacy_text <> '' ORDER BY ordinal").map((r) => r.legacy_text), ...pageTexts.map((p) => p.text)],
  };
}

export function profileFromStore(db: Db, id: string): MatchProfile | null {
  const draft = draftFromStore(db, id);
  return draft ? buildProfile(draft) : null;
}
