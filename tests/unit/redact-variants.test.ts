// Issue 16 finding 4: redaction missed common ways of writing the source's own details — 8 of 13 stayed in the
// open record and search snippets. Each row is a way real letters, faxes, e-mails and call notes write them; every
// one must be withheld, and the text around it (and other people's details) kept.
import { describe, expect, it } from 'vitest';
import { redactSource, SOURCE_MARKER } from '../../shared/sources/redact.ts';
import { foldKeepingOffsets } from '../../shared/sources/source-patterns.ts';

const garfield = { name: 'Mr Garfield Clarke', phone: '07813 382035', email: 'clarkeg@icloud.com', address: '53 Tottenham High Road, Liverpool, L7 9BH' };
const zoe = { name: 'Ms Zoë Ní Bhriain-Walsh', phone: '0161 496 0734', email: 'zoe.walsh@example.co.uk', address: '7a St Mary\'s Avenue, Leeds, LS6 2AB' };
const rebecca = { name: 'Miss Rebecca White', phone: '+44 20 7946 0018', email: 'r.white1984@gmail.com', address: '112 Old Kent Road, London, SE1 5AA' };

/** What must not survive: the source's words and digits, folded, digits compared without separators. */
function leaks(out: string, who: typeof garfield): string[] {
  const folded = foldKeepingOffsets(out);
  const found: string[] = [];
  const surname = foldKeepingOffsets(who.name).split(/\s+/).at(-1) as string;
  if (folded.includes(surname.split('-')[0] as string)) found.push(surname);
  const significant = who.phone.replace(/\D/g, '').replace(/^(?:44|0)/, '');
  if (out.replace(/\D/g, '').includes(significant)) found.push(significant);
  const local = who.email.split('@')[0]?.split('.')[0] as string;
  if (folded.includes(local) && local.length > 3) found.push(local);
  const street = foldKeepingOffsets(who.address.split(',')[0] as string).split(/\s+/)[1] as string;
  if (new RegExp(`\\d+[a-z]?\\W+${street}`).test(folded)) found.push(street);
  return found;
}

const variants: Array<[string, string, typeof garfield]> = [
  // Names
  ['full name', 'Letter from Garfield Clarke about the car wash', garfield],
  ['capitals', 'GARFIELD CLARKE WROTE IN', garfield],
  ['lower case', 'from garfield clarke, a neighbour', garfield],
  ['surname first with comma', 'Reporter: CLARKE, Garfield', garfield],
  ['surname first without comma', 'Clarke Garfield called at 10:05', garfield],
  ['initial then surname', 'Signed G. Clarke', garfield],
  ['initial without a stop', 'Signed G Clarke', garfield],
  ['initial run on', 'Signed G.Clarke', garfield],
  ['two initials', 'Signed G.A. Clarke', garfield],
  ['surname then initial', 'Clarke, G. (neighbour)', garfield],
  ['surname then bare initial', 'CLARKE G - caller', garfield],
  ['accented', 'Gärfield Clarke says the boss pays cash', garfield],
  ['accent on surname', 'Garfield Clärke says', garfield],
  ['title and surname', 'Mr Clarke says he saw the van', garfield],
  ['title with stop', 'Mr. Clarke says he saw the van', garfield],
  ['title, full name', 'Dear Sir, I am Mr Garfield Clarke of this parish', garfield],
  ['middle name', 'Garfield Anthony Clarke reports', garfield],
  ['middle initial', 'Garfield A. Clarke reports', garfield],
  ['name over a line break', 'Yours sincerely\nGarfield\nClarke', garfield],
  ['name with two spaces', 'Garfield  Clarke', garfield],
  ['accented, surname first', 'NÍ BHRIAIN-WALSH, Zoë rang', zoe],
  ['without accents', 'Zoe Ni Bhriain-Walsh rang again', zoe],
  ['hyphen dropped', 'Zoë Ní Bhriain Walsh rang again', zoe],
  ['initial, accented', 'Z. Ní Bhriain-Walsh', zoe],
  ['miss and surname', 'Miss White telephoned', rebecca],
  ['reversed, capitals', 'WHITE, REBECCA (MISS)', rebecca],
  // Phones
  ['national spaced', 'ring 07813 382035 after six', garfield],
  ['no spaces', 'ring 07813382035', garfield],
  ['with +44', 'ring +44 7813 382035', garfield],
  ['with +44 (0)', 'ring +44 (0)7813 382035', garfield],
  ['with 0044', 'ring 0044 7813 382035', garfield],
  ['with 44, no plus', 'ring 447813382035', garfield],
  ['every digit spaced', 'ring 0 7 8 1 3 3 8 2 0 3 5 please', garfield],
  ['dashes', 'ring 07813-382-035', garfield],
  ['dots', 'ring 07813.382.035', garfield],
  ['split over two lines', 'my mobile is 07813\n382035 if you need', garfield],
  ['split with a hyphen at the wrap', 'my mobile is 07813-\n382035', garfield],
  ['brackets', 'tel (07813) 382035', garfield],
  ['landline with area code', 'Tel: 0161 496 0734', zoe],
  ['landline, +44', 'Tel: +44 161 496 0734', zoe],
  ['landline, brackets', 'Tel: (0161) 4960734', zoe],
  ['London, national', 'call 020 7946 0018', rebecca],
  ['London, 0044', 'call 0044 20 7946 0018', rebecca],
  // Emails
  ['email as given', 'mail clarkeg@icloud.com', garfield],
  ['email in capitals', 'mail CLARKEG@ICLOUD.COM', garfield],
  ['email [at]', 'mail clarkeg [at] icloud.com', garfield],
  ['email (at) (dot)', 'mail clarkeg(at)icloud(dot)com', garfield],
  ['email spelt out', 'mail clarkeg at icloud dot com', garfield],
  ['email with spaces', 'mail clarkeg @ icloud . com', garfield],
  ['email with dots in the name, [dot]', 'zoe[dot]walsh[at]example[dot]co[dot]uk', zoe],
  ['email {at}', 'r.white1984{at}gmail.com', rebecca],
  // Addresses
  ['street as given', 'I live at 53 Tottenham High Road.', garfield],
  ['Rd for Road', 'I live at 53 Tottenham High Rd', garfield],
  ['Rd. with a stop', 'I live at 53 Tottenham High Rd., Liverpool', garfield],
  ['capitals', '53 TOTTENHAM HIGH ROAD L7', garfield],
  ['comma after the number', '53, Tottenham High Road', garfield],
  ['over a line break', 'of 53 Tottenham\nHigh Road', garfield],
  ['Ave for Avenue, Saint spelt out', '7a Saint Mary\'s Ave', zoe],
  ['St for Saint, Avenue', '7A St. Marys Avenue', zoe],
  ['Old Kent Rd', 'flat above 112 Old Kent Rd', rebecca],
];

describe('redaction knows people write things differently', () => {
  it('has at least fifty variants', () => {
    expect(variants.length).toBeGreaterThanOrEqual(50);
  });

  it.each(variants)('withholds %s: %j', (_label, text, who) => {
    const r = redactSource(text, who);
    expect(leaks(r.text, who)).toEqual([]);
    expect(r.text).toContain(SOURCE_MARKER);
    expect(r.count).toBeGreaterThanOrEqual(1);
  });

  it('keeps the words around what it withholds', () => {
    expect(redactSource('Signed G. Clarke (neighbour)', garfield).text).toBe(`Signed ${SOURCE_MARKER} (neighbour)`);
    expect(redactSource('my mobile is 07813\n382035 if you need', garfield).text).toBe(`my mobile is ${SOURCE_MARKER} if you need`);
    expect(redactSource('mail clarkeg [at] icloud.com today', garfield).text).toBe(`mail ${SOURCE_MARKER} today`);
    expect(redactSource('ring +44 (0)7813 382035.', garfield).text).toBe(`ring ${SOURCE_MARKER}.`);
  });
});

describe('and leaves other people alone', () => {
  const untouched: Array<[string, string]> = [
    ['another Clarke, whom the source reports', 'Mrs Clarke next door pays cash'],
    ['a different initial', 'Signed K. Clarke'],
    ['a word that starts like the surname', 'Clarkes Garage employs three'],
    ['another phone', 'Call 07700 900123 or 07813 382036'],
    ['a longer number containing the digits', 'account 9078133820351'],
    ['a date and a time', 'seen 07/08/2020 at 13:38'],
    ['another number on the same street', '55 Tottenham High Road is the shop'],
    ['another email at the same provider', 'clarkegroup@icloud.com'],
  ];
  it.each(untouched)('%s', (_label, text) => {
    expect(redactSource(text, garfield)).toEqual({ text, count: 0 });
  });

  it('keeps two numbers written side by side apart', () => {
    expect(redactSource('07700 900123 07813 382035', garfield).text).toBe(`07700 900123 ${SOURCE_MARKER}`);
  });
});
