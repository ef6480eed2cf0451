// Airlines by their designators, from OpenFlights' published list (vendored by build/vendor-text-data.ts):
// people and itineraries write a flight with the two-character IATA code ("U2 8741", "BA 249") and booking
// systems, fax headers and flight trackers with the three-letter ICAO code ("EZY8741", "BAW249"). Both are
// the same flight, so identifiers are kept in one canonical form (the IATA designator where the airline has
// one) and searched under every form.
import data from './data/airlines.json' with { type: 'json' };

export interface Airline {
  name: string;
  /** Two-character IATA designator ("U2"), or null when the airline has none. */
  iata: string | null;
  /** Three-letter ICAO designator ("EZY"), or null. */
  icao: string | null;
  /** The ICAO code is also a common English word or name ("SKY", "TOM"): not read as a flight on its own when spaced. */
  wordLike: boolean;
}

const byIcao = new Map<string, Airline>();
const byIata = new Map<string, Airline[]>();
for (const [iata, icao, name, wordLike] of data.airlines as Array<[string, string, string, number]>) {
  const a: Airline = { name, iata: iata || null, icao: icao || null, wordLike: wordLike === 1 };
  if (a.icao && !byIcao.has(a.icao)) byIcao.set(a.icao, a);
  if (a.iata) {
    const list = byIata.get(a.iata) ?? [];
    list.push(a);
    byIata.set(a.iata, list);
  }
}

/** The airline an ICAO designator belongs to ("EZY" -> easyJet), or null. */
export function airlineByIcao(code: string): Airline | null {
  return byIcao.get(code.toUpperCase()) ?? null;
}

/** The airline(s) using an IATA designator (a code can be shared by a few small carriers). */
export function airlinesByIata(code: string): readonly Airline[] {
  return byIata.get(code.toUpperCase()) ?? [];
}

/** The airline of a flight's designator, IATA or ICAO, when exactly one active airline uses it. */
export function airlineOf(designator: string): Airline | null {
  const code = designator.toUpperCase();
  if (code.length === 3) return airlineByIcao(code);
  const list = airlinesByIata(code);
  return list.length === 1 ? (list[0] as Airline) : null;
}

/** The designator a flight is kept under: the IATA code of an ICAO designator that has one, else as given. */
export function canonicalDesignator(designator: string): string {
  const code = designator.toUpperCase();
  if (code.length === 3) return airlineByIcao(code)?.iata ?? code;
  return code;
}

/** Every designator the same airline is written with: "U2" -> ["U2", "EZY"]; "EZY" -> ["U2", "EZY"]. */
export function designatorForms(designator: string): string[] {
  const code = designator.toUpperCase();
  const out = new Set<string>([canonicalDesignator(code)]);
  const airline = airlineOf(code);
  if (airline?.iata) out.add(airline.iata);
  if (airline?.icao) out.add(airline.icao);
  out.add(code);
  return [...out];
}
