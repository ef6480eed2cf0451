// One text for one value: object keys sorted at every depth, so that the same change or audit entry always hashes
// to the same digest, whichever side wrote it and whatever order a database gives its keys back in.
// (Written with loops and string building rather than entries/filter/sort/map/join: the server hashes every
// change of every push with it, and the intermediate arrays were most of its cost.)
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return scalarJson(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  return objectJson(value as Record<string, unknown>, canonicalJson);
}

// A string JSON.stringify would write between quotes unchanged: no quote, backslash, control character or surrogate
// (a lone one is escaped, and a pair is left to JSON.stringify too). Nearly every string of a change is one.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

const quoted = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

/** JSON.stringify of a value that is not an object (undefined, a function or a symbol as null), without the call for the common ones. */
function scalarJson(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return quoted(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return v === null ? 'null' : (JSON.stringify(v) ?? 'null');
  }
}

/** An object's keys in sorted order, each value (undefined ones left out) written by `valueJson`. */
function objectJson(object: Record<string, unknown>, valueJson: (v: unknown) => string): string {
  // The default sort orders by UTF-16 code units, as `<` does on strings.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = object[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${quoted(k)}:${valueJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** A field's {from, to} as canonicalJson writes it, without sorting its two keys; any other shape to canonicalJson. */
function fieldChangeJson(v: unknown): string {
  const pair = v as { from?: unknown; to?: unknown } | null;
  const plain = pair !== null && typeof pair === 'object' && !Array.isArray(pair) && Object.keys(pair).length === 2 && pair.from !== undefined && pair.to !== undefined;
  return plain ? `{"from":${canonicalJson(pair.from)},"to":${canonicalJson(pair.to)}}` : canonicalJson(v);
}

const CHANGE_KEYS = ['allegationId', 'entity', 'fields', 'hlc', 'id', 'op', 'userId'] as const;

function isPlainChange(c: Record<string, unknown>): boolean {
  let n = 0;
  for (const k in c) {
    if (c[k] === undefined) continue;
    if (!(CHANGE_KEYS as readonly string[]).includes(k)) return false;
    n++;
  }
  return n === CHANGE_KEYS.length && typeof c.fields === 'object' && c.fields !== null && !Array.isArray(c.fields);
}

/**
 * canonicalJson of a change's content (a change row without its seq), the same text, built without sorting the
 * keys it knows: the server hashes every change of every push, and this was a tenth of a busy server's time. Any
 * other shape (a key it does not know) is left to canonicalJson.
 */
export function canonicalChange(c: Record<string, unknown>): string {
  if (!isPlainChange(c)) return canonicalJson(c);
  const f = objectJson(c.fields as Record<string, unknown>, fieldChangeJson);
  const j = canonicalJson;
  return `{"allegationId":${j(c.allegationId)},"entity":${j(c.entity)},"fields":${f},"hlc":${j(c.hlc)},"id":${j(c.id)},"op":${j(c.op)},"userId":${j(c.userId)}}`;
}
