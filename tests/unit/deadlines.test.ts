import { describe, expect, it } from 'vitest';
import { detectDeadlines } from '../../shared/domain/deadlines.ts';

// Received on Wednesday 4 March 2026 at 10:00 (UK): the reference for every relative date below.
const RECEIVED = new Date('2026-03-04T10:00:00Z');

// [sentence as a reporter would write it, the date of the event, or null when nothing is time-critical]
const CASES: Array<[string, string | null]> = [
  ['The appeal hearing is this Friday and he will disappear after it.', '2026-03-06'],
  ['He is flying out tomorrow on TK2584 from Manchester.', '2026-03-05'],
  ['They are moving next week to a new address in Leeds.', '2026-03-11'],
  ['The wedding is on 12 March at the register office.', '2026-03-12'],
  ['His flight is on 12/03 at 7am from Stansted.', '2026-03-12'],
  ['She leaves for Lagos on the 14th.', '2026-03-14'],
  ['Court date is 20th March 2026 at Taylor House.', null],
  ['He said he is going back to Pakistan in two weeks.', '2026-03-18'],
  ['Her interview at the Home Office is on Monday.', '2026-03-09'],
  ['She came to the UK 4 yrs ago and never went back.', null],
  ['I see him at the gym every Friday.', null],
  ['He works there from Monday to Saturday.', null],
  ['The marriage ceremony is booked for Saturday 7 March.', '2026-03-07'],
  ['A lorry with the cigarettes is arriving tonight at the unit.', '2026-03-04'],
  ['They have booked flights to Istanbul for 10 March.', '2026-03-10'],
  ['He has a tribunal on 9/3/2026 and plans to abscond.', '2026-03-09'],
  ['The nikah is planned for next Sunday.', '2026-03-15'],
  ['She is moving out this weekend with the children.', '2026-03-07'],
  ['He reports to Eaton House on Thursday but says he will not go.', '2026-03-05'],
  ['The consignment is due for collection on 6 March from Dover.', '2026-03-06'],
  ['He was deported in 2019 and came back in a lorry.', null],
  ['She has been working there since January.', null],
  ['He is travelling to Birmingham on Friday to collect documents.', '2026-03-06'],
  ['Last week he was seen at the car wash.', null],
  ['He has a bail hearing tomorrow morning.', '2026-03-05'],
  ['The family plan to leave the country on 1 April.', null],
  ['They are getting married on the 8th at the mosque.', '2026-03-08'],
  ['His visa expires on 10 March and he will not leave.', '2026-03-10'],
  ['The coach to Poland leaves on Tuesday night.', '2026-03-10'],
  ['He goes to the mosque on Fridays.', null],
  ['Removal directions are set for 13 March but he has moved.', '2026-03-13'],
  ['The workers are picked up at 7am every morning.', null],
  ['He has a biometrics appointment on 11/03.', '2026-03-11'],
  ['She said she is flying to Dubai in 3 days with the boy.', '2026-03-07'],
  ['Hearing listed for 09.03.2026 at the county court.', '2026-03-09'],
];

describe('time-critical deadlines in the account', () => {
  it.each(CASES)('%s', (sentence, expected) => {
    const found = detectDeadlines(sentence, RECEIVED);
    if (expected === null) expect(found).toEqual([]);
    else expect(found[0]?.date).toBe(expected);
  });

  it('reads dates on UK time: late evening receipt in summer is still that day', () => {
    const lateEvening = new Date('2026-07-02T23:30:00Z'); // 00:30 on 3 July in the UK
    expect(detectDeadlines('He is flying out tomorrow.', lateEvening)[0]?.date).toBe('2026-07-04');
  });

  it('gives the sentence and the kind of event for the person who decides', () => {
    const [d] = detectDeadlines('Nothing else to add. The appeal hearing is this Friday. Please act.', RECEIVED);
    expect(d).toMatchObject({ text: 'this Friday', event: 'hearing', sentence: 'The appeal hearing is this Friday.', daysAfterReceipt: 2 });
  });

  it('finds nothing in an empty account', () => {
    expect(detectDeadlines('', RECEIVED)).toEqual([]);
  });
});

describe('deadlines in text as OCR reads letters and faxes', () => {
  // [OCR text, the date of the event, or null]
  const OCR: Array<[string, string | null]> = [
    // A letter's line wraps inside the sentence
    ['I know he is flying out\non Friday on EZY8741 from Luton.', '2026-03-06'],
    ['The appeal hearing at Taylor House is\nlisted for 9 March.', '2026-03-09'],
    // Full stops OCR put inside the sentence
    ['He was supposed to be deported but he ran away and. he flies. out on Sunday to Istanbul.', '2026-03-08'],
    // A weekday misread by one letter
    ['He is flying out on Frlday from Stansted.', '2026-03-06'],
    ['She is leaving tomorr0w for Lagos.', '2026-03-05'],
    // Names, rates and spans of time that a date parser reads as times
    ['Thu Ngoc Lam came to the UK in the back of a lorry.', null],
    ['The business employs workers with no leave, paid cash at £3 an hour per day.', null],
    ['She works as a delivery rider, paid £70 a day.', null],
    ['The warehouse is open 7 days a week and I see him leaving at night.', null],
    ['A couple of weeks ago he moved out.', null],
    // What has already happened
    ['He left for Lagos on Friday and has not come back.', null],
    ['She arrived on Monday with two children.', null],
    ['On Saturday my daughter saw her leaving the house with bags of shopping.', null],
    ['He is leaving the country on Saturday for good.', '2026-03-07'],
    // The event's word too far from the date to be about it
    ['His brother drives a lorry for a living and works for the council on the bins in the town centre, and I saw him at the shop on Friday.', null],
  ];
  it.each(OCR)('%s', (text, expected) => {
    const found = detectDeadlines(text, RECEIVED);
    if (expected === null) expect(found).toEqual([]);
    else expect(found[0]?.date).toBe(expected);
  });

  it('finds the deadline on page 2 of a fax, with the sentence and the rule that fired', () => {
    const page2 = 'Page 2\nI also know that he is booked\nto fly out on Friday on flight EZY8741\nfrom Luton to Accra and will not come back.\n\nYours faithfully\n\nMargaret Holloway';
    const [d] = detectDeadlines(page2, RECEIVED);
    expect(d).toMatchObject({
      date: '2026-03-06',
      text: 'on Friday',
      event: 'flight',
      cue: 'flight',
      rule: 'flight + weekday',
      daysAfterReceipt: 2,
      sentence: 'I also know that he is booked to fly out on Friday on flight EZY8741 from Luton to Accra and will not come back.',
    });
    expect(d?.reason).toBe('“flight” with “on Friday”: 2 days after it was received, within the 14 days that make it time-critical');
  });

  it('quotes the sentence as evidence, never the whole account (issue 19, item 8)', () => {
    const account = `${'he works at the car wash every day and gets paid cash in hand by the owner '.repeat(6)}and his sister is due for arrival on 10 March from Lagos ${'and she will stay at the house with the other workers who sleep there '.repeat(4)}`;
    const [d] = detectDeadlines(account, RECEIVED);
    expect(d?.date).toBe('2026-03-10');
    expect(d?.sentence.length).toBeLessThanOrEqual(245);
    expect(d?.sentence).toContain('arrival on 10 March');
    expect(d?.sentence.startsWith('… ')).toBe(true);
  });

  it('splits an account with no full stops where its sentences visibly start', () => {
    const account = 'I have seen him there every day from 9am until late at night Staff sleep in the back of the premises on mattresses He has a strong Iranian accent He told me he is flying to Tehran on Saturday and will not come back';
    const [d] = detectDeadlines(account, RECEIVED);
    expect(d?.sentence).toBe('He told me he is flying to Tehran on Saturday and will not come back');
  });
});
