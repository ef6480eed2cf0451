// Characters in text from users that are invisible or change how the text around them is shown: control
// characters (ESC starts a terminal command, NUL cuts a string short in C programs, CR overwrites a line) and
// the Unicode bidirectional controls, which can disguise a name or a reference (U+202E RIGHT-TO-LEFT OVERRIDE
// makes "Smith<RLO>nhoj" display as "Smithjohn"). Text is stored as written (CPIA); wherever it is shown, these
// characters are shown as what they are: escaped in the terminal (terminalSafe), marked in the UI (hiddenParts,
// drawn by the renderer's MarkedText).

interface HiddenChar {
  /** Short name, shown in place of the character ("RLO"). */
  abbr: string;
  /** What it is, for a tooltip or a screen reader. */
  name: string;
}

const BIDI: Record<number, HiddenChar> = {
  0x061c: { abbr: 'ALM', name: 'Arabic letter mark (changes text direction)' },
  0x200e: { abbr: 'LRM', name: 'left-to-right mark (changes text direction)' },
  0x200f: { abbr: 'RLM', name: 'right-to-left mark (changes text direction)' },
  0x202a: { abbr: 'LRE', name: 'left-to-right embedding (changes text direction)' },
  0x202b: { abbr: 'RLE', name: 'right-to-left embedding (changes text direction)' },
  0x202c: { abbr: 'PDF', name: 'pop directional formatting (changes text direction)' },
  0x202d: { abbr: 'LRO', name: 'left-to-right override (reverses how text is shown)' },
  0x202e: { abbr: 'RLO', name: 'right-to-left override (reverses how text is shown)' },
  0x2066: { abbr: 'LRI', name: 'left-to-right isolate (changes text direction)' },
  0x2067: { abbr: 'RLI', name: 'right-to-left isolate (changes text direction)' },
  0x2068: { abbr: 'FSI', name: 'first strong isolate (changes text direction)' },
  0x2069: { abbr: 'PDI', name: 'pop directional isolate (changes text direction)' },
};

/** Invisible characters that can split or disguise a word ("Sm<ZWSP>ith" is not "Smith" to a search). */
const INVISIBLE: Record<number, HiddenChar> = {
  0x00ad: { abbr: 'SHY', name: 'soft hyphen (invisible)' },
  0x200b: { abbr: 'ZWSP', name: 'zero-width space (invisible)' },
  0x2060: { abbr: 'WJ', name: 'word joiner (invisible)' },
  0xfeff: { abbr: 'BOM', name: 'zero-width no-break space (invisible)' },
};

const C0 = ['NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'HT', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI', 'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US'];

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** What a hidden character is, or null for an ordinary one. Tab and line feed are ordinary in multi-line text. */
export function hiddenChar(cp: number, multiline = false): HiddenChar | null {
  if (multiline && (cp === 0x09 || cp === 0x0a)) return null;
  if (cp < 0x20) return { abbr: C0[cp] as string, name: `control character ${C0[cp]} (${hex(cp)})` };
  if (cp === 0x7f) return { abbr: 'DEL', name: `control character DEL (${hex(cp)})` };
  if (cp >= 0x80 && cp <= 0x9f) return { abbr: hex(cp), name: `control character ${hex(cp)}` };
  return BIDI[cp] ?? INVISIBLE[cp] ?? null;
}

/** Quick test for the characters hiddenChar names (C0 and C1 controls, DEL, bidi controls, invisibles). */
const HIDDEN_RE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/u;

export function hasHiddenChars(text: string, multiline = false): boolean {
  if (!HIDDEN_RE.test(text)) return false;
  for (const ch of text) if (hiddenChar(ch.codePointAt(0) as number, multiline)) return true;
  return false;
}

export type TextPart = { kind: 'text'; text: string } | { kind: 'hidden'; char: string; abbr: string; name: string };

/** The text as runs of ordinary text and single hidden characters, for a UI to mark the latter. */
export function hiddenParts(text: string, multiline = false): TextPart[] {
  if (!hasHiddenChars(text, multiline)) return [{ kind: 'text', text }];
  const parts: TextPart[] = [];
  let run = '';
  for (const ch of text) {
    const hidden = hiddenChar(ch.codePointAt(0) as number, multiline);
    if (!hidden) {
      run += ch;
      continue;
    }
    if (run) parts.push({ kind: 'text', text: run });
    run = '';
    parts.push({ kind: 'hidden', char: ch, ...hidden });
  }
  if (run) parts.push({ kind: 'text', text: run });
  return parts;
}

/**
 * The text with every hidden character written out as <ABBR> ("Smith<RLO>nhoj", "<ESC>[2J"), so that a
 * terminal shows it instead of obeying it. In multi-line text, tabs and line feeds stay (a CR before an LF is
 * dropped; a lone CR, which would overwrite the line, is shown).
 */
export function terminalSafe(text: string, multiline = false): string {
  const t = multiline ? text.replace(/\r\n/g, '\n') : text;
  if (!hasHiddenChars(t, multiline)) return t;
  return hiddenParts(t, multiline)
    .map((p) => (p.kind === 'text' ? p.text : `<${p.abbr}>`))
    .join('');
}

/**
 * JSON whose strings carry hidden characters as \u escapes (the JSON means the same; a terminal showing it
 * obeys none of them). JSON.stringify escapes C0 controls itself, but not DEL, C1 or the bidi controls.
 */
export function jsonSafe(json: string): string {
  return json.replace(/[\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu, (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`);
}
