// Whether two subjects written on two records could be one person, as matching reads names and birth dates:
// a typo, a nickname, a transliteration or the order swapped ("QURESHI, Farhan") is the same name; birth dates
// that a reporter could have written for one person (day and month swapped, a mistyped digit) do not tell them
// apart. Names alone never say two records are one person: the callers add a second key (a birth date that
// agrees, or a place or number both records hold).
import { compareDob, parseDob } from './dates.ts';
import { bestTokenMatch, nameTokens, significantTokens, type NameLevel } from './names.ts';
import { foldName } from '../text/normalise.ts';

export interface SubjectName {
  forename: string;
  surname: string;
  knownAs: string;
  dob: string | null;
}

/** Name levels that read as the same name (not merely alike: "similar", "phonetic" and initials are not enough). */
const CLOSE: ReadonlySet<NameLevel> = new Set(['exact', 'equivalent', 'typo', 'variant']);

function close(x: readonly string[], y: readonly string[]): boolean {
  const m = x.length && y.length ? bestTokenMatch(x, y) : null;
  return !!m && CLOSE.has(m.level);
}

/** Birth dates that could be one person's as reporters write it; an unknown date never tells two apart. */
export function birthDatesCouldAgree(a: string | null, b: string | null): boolean {
  const x = parseDob(a);
  const y = parseDob(b);
  if (!x || !y) return true;
  return ['exact', 'day_month_swapped', 'one_part_differs', 'digits_transposed'].includes(compareDob(x, y));
}

/** Both birth dates known and the same date (or the same date with day and month swapped, or two digits swapped). */
export function birthDatesAgree(a: string | null, b: string | null): boolean {
  const x = parseDob(a);
  const y = parseDob(b);
  if (!x || !y) return false;
  return ['exact', 'day_month_swapped', 'digits_transposed'].includes(compareDob(x, y));
}

/**
 * The two subjects' names are one name as matching reads it, and nothing in their birth dates says otherwise.
 * A name with no surname (a known-as only) must be the same folded name.
 */
export function namesCouldBeOnePerson(a: SubjectName, b: SubjectName): boolean {
  if (!birthDatesCouldAgree(a.dob, b.dob)) return false;
  const sa = significantTokens(nameTokens(a.surname));
  const sb = significantTokens(nameTokens(b.surname));
  const fa = nameTokens(a.forename);
  const fb = nameTokens(b.forename);
  if (!sa.length || !sb.length) return foldName(a.knownAs || a.forename) !== '' && foldName(a.knownAs || a.forename) === foldName(b.knownAs || b.forename);
  const direct = close(sa, sb) && (!fa.length || !fb.length || close(fa, fb));
  const swapped = fa.length > 0 && fb.length > 0 && close(sa, fb) && close(fa, sb);
  return direct || swapped;
}

/**
 * A name as searched ("farhan qureshi", one string with no parts) names this subject: the subject's surname and
 * forename are each the same name as a word of it.
 */
export function searchedNameIs(searched: string, s: SubjectName): boolean {
  const words = nameTokens(searched);
  const surname = significantTokens(nameTokens(s.surname));
  const forename = nameTokens(s.forename || s.knownAs);
  if (!words.length) return false;
  if (!surname.length) return close(forename, words);
  return close(surname, words) && (!forename.length || close(forename, words));
}
