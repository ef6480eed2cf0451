// What a person is shown as the evidence for a time-critical flag: the words around the date that raised it, not
// a whole account that had no full stops (the sentence a deadline was found in can be the entire letter).

/** At most `max` characters of `sentence` around `text`, on word boundaries, with … where it was cut. */
export function evidenceExcerpt(sentence: string, text: string, max = 180): string {
  const s = sentence.replace(/\s+/g, ' ').trim();
  if (s.length <= max) return s;
  const at = Math.max(0, s.toLowerCase().indexOf(text.toLowerCase().replace(/\s+/g, ' ').trim()));
  const half = Math.floor((max - text.length) / 2);
  let start = Math.max(0, at - half);
  let end = Math.min(s.length, start + max);
  start = Math.max(0, end - max);
  if (start > 0) start = s.indexOf(' ', start) + 1 || start;
  if (end < s.length) end = s.lastIndexOf(' ', end) > at ? s.lastIndexOf(' ', end) : end;
  return `${start > 0 ? '…' : ''}${s.slice(start, end).trim()}${end < s.length ? '…' : ''}`;
}
