import { describe, expect, it } from 'vitest';
import { hasHiddenChars, hiddenParts, jsonSafe, terminalSafe } from '../../shared/text/hidden-chars.ts';

describe('hidden characters in text from users', () => {
  it('names control characters and bidirectional overrides instead of letting a terminal obey them', () => {
    expect(terminalSafe('Smith\u202Enhoj')).toBe('Smith<RLO>nhoj');
    expect(terminalSafe('\u001b[2J\u001b]0;pwned\u0007Ana')).toBe('<ESC>[2J<ESC>]0;pwned<BEL>Ana');
    expect(terminalSafe('Pop\u0000escu')).toBe('Pop<NUL>escu');
    expect(terminalSafe('a\u0085b\u007fc')).toBe('a<U+0085>b<DEL>c');
    expect(terminalSafe('IMS\u2066-2026\u2069')).toBe('IMS<LRI>-2026<PDI>');
    expect(terminalSafe('Sm\u200Bith')).toBe('Sm<ZWSP>ith');
  });

  it('keeps line breaks and tabs in multi-line text, and shows a lone carriage return that would overwrite a line', () => {
    expect(terminalSafe('one\r\ntwo\tthree', true)).toBe('one\ntwo\tthree');
    expect(terminalSafe('harmless\rFAKE LINE', true)).toBe('harmless<CR>FAKE LINE');
    expect(terminalSafe('a name\nSource: forged')).toBe('a name<LF>Source: forged');
  });

  it('leaves ordinary text alone, every script and emoji included', () => {
    for (const text of ['Ó Briain', 'محمد علي', 'שלום', '张伟', '☎️ 👨‍👩‍👧', 'Zoë-Ann O’Neil']) {
      expect(hasHiddenChars(text)).toBe(false);
      expect(terminalSafe(text)).toBe(text);
      expect(hiddenParts(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('splits text into ordinary runs and single hidden characters, each with a name a person understands', () => {
    expect(hiddenParts('Ali\u202Ecod.exe')).toEqual([
      { kind: 'text', text: 'Ali' },
      { kind: 'hidden', char: '\u202E', abbr: 'RLO', name: 'right-to-left override (reverses how text is shown)' },
      { kind: 'text', text: 'cod.exe' },
    ]);
    expect(hiddenParts('\u001b')).toEqual([{ kind: 'hidden', char: '\u001b', abbr: 'ESC', name: 'control character ESC (U+001B)' }]);
  });

  it('escapes hidden characters in JSON so that it still means the same', () => {
    const value = { name: 'Smith\u202Enhoj\u0085\u001b' };
    const json = jsonSafe(JSON.stringify(value));
    expect(json).toBe('{"name":"Smith\\u202enhoj\\u0085\\u001b"}');
    expect(JSON.parse(json)).toEqual(value);
  });
});
