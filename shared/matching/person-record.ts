// A person record as registers hold it (FEBRL's layout: names, date of birth, one address, perhaps an id
// number): the identity comparison plus the address, plus the id number when the caller allows it.
import { compareAddress, prepareAddress, type AddressInput, type PreparedAddress } from './address.ts';
import type { Evidence } from './evidence.ts';
import type { Frequencies } from './frequency.ts';
import { compareIdentity, preparePerson, type PersonInput, type PreparedPerson } from './person.ts';
import { probability } from './score.ts';
import { IDENTIFIER } from './weights.ts';
import { osaDistance } from './strings.ts';

export interface PersonRecordInput extends PersonInput {
  address?: AddressInput | null;
  /** A personal identifier (social security number...): used only when the caller says so. */
  idNumber?: string | null;
}

export interface PreparedRecord {
  person: PreparedPerson;
  address: PreparedAddress | null;
  idNumber: string | null;
}

export function prepareRecord(r: PersonRecordInput): PreparedRecord {
  const idNumber = (r.idNumber ?? '').replace(/[^0-9A-Za-z]/g, '').toUpperCase() || null;
  return { person: preparePerson(r), address: r.address ? prepareAddress(r.address) : null, idNumber };
}

export interface RecordComparison {
  /** log2 Bayes factor, all evidence summed. */
  weight: number;
  /** Probability of a match under the fixed prior (score.ts). */
  score: number;
  evidence: Evidence[];
}

/** @param population how many records are being matched (the prior: score.ts). */
export function compareRecords(a: PreparedRecord, b: PreparedRecord, freq: Frequencies, population?: number): RecordComparison {
  const identity = compareIdentity(a.person, b.person, freq);
  const evidence = [...identity.evidence];
  if (a.address && b.address) evidence.push(...compareAddress(a.address, b.address, freq, { disagreement: 1 }));
  if (a.idNumber && b.idNumber) {
    const level = a.idNumber === b.idNumber ? 'exact' : Math.min(a.idNumber.length, b.idNumber.length) >= 6 && osaDistance(a.idNumber, b.idNumber, 2) <= 2 ? 'typo' : 'different';
    const weight = level === 'exact' ? IDENTIFIER.idNumber : level === 'typo' ? IDENTIFIER.idNumberTypo : IDENTIFIER.idNumberDifferent;
    evidence.push({ field: 'id_number', level, weight, a: a.idNumber, b: b.idNumber });
  }
  let weight = 0;
  for (const e of evidence) weight += e.weight;
  return { weight, score: probability(weight, population), evidence };
}
