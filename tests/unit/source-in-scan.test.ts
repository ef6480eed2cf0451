import { describe, expect, it } from 'vitest';
import { findSourceRegions } from '../../shared/sources/in-scan.ts';

const LETTER = `Mrs Pooja Sandhu
14 Elm Grove
Leeds LS6 2AB

6th January 2020

To whom it may concern

RE: YING HU

My name is Pooja Sandhu and I live next door. You can reach me on 020 8934 8669.
She is flying out on BG2856 to Sylhet on Saturday.

Yours faithfully
Mrs Pooja Sandhu
pooja.sandhu@icloud.com`;

describe('where a scan reveals its source', () => {
  const regions = findSourceRegions([{ page: 1, text: LETTER }]);
  const kinds = (k: string) => regions.filter((r) => r.kind === k);

  it('finds the signature block after the sign-off, with the name and email', () => {
    const [sig] = kinds('signature');
    expect(sig?.text).toBe('Mrs Pooja Sandhu\npooja.sandhu@icloud.com');
    expect(sig?.details).toMatchObject({ name: 'Mrs Pooja Sandhu', email: 'pooja.sandhu@icloud.com' });
  });

  it('finds "my name is" and a contact line with the phone', () => {
    expect(kinds('self-introduction').map((r) => r.text)).toEqual(['Pooja Sandhu']);
    expect(kinds('contact')[0]?.details.phone).toBe('02089348669');
  });

  it('finds the letterhead above the salutation as one block, with the whole address, but not the date', () => {
    expect(kinds('letterhead').map((r) => r.text)).toEqual(['Mrs Pooja Sandhu\n14 Elm Grove\nLeeds LS6 2AB']);
    expect(kinds('letterhead')[0]?.details).toEqual({ name: 'Mrs Pooja Sandhu', street: '14 Elm Grove', town: 'Leeds', postcode: 'LS6 2AB', address: '14 Elm Grove, Leeds, LS6 2AB' });
  });

  it('does not flag the subject, the flight, or an anonymous sign-off', () => {
    for (const r of regions) expect(r.text).not.toMatch(/YING|BG2856/);
    expect(findSourceRegions([{ page: 1, text: 'He works nights.\n\nRegards\nA concerned neighbour' }])).toEqual([]);
  });

  it("finds the sender's number in a fax header, not the date after it", () => {
    const fax = 'FAX    FROM: 07722 918954    20th January 2020 10:51    P.001/003\nTO: Immigration Enforcement Allegations\n\nDear Sir';
    const [header] = findSourceRegions([{ page: 1, text: fax }]).filter((r) => r.kind === 'fax-header');
    expect(header).toMatchObject({ text: '07722 918954', details: { phone: '07722918954' } });
  });
});
