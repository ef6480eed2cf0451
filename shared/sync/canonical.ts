// One text for one value: object keys sorted at every depth, so that the same change or audit entry always hashes
// to the same digest, whichever side wrote it and whatever order a database gives its keys back in.
// (Written with loops and string building rather than entries/filter/sort/map/join: the server hashes every
// change of every push with it, and the intermediate arrays were most of its cost.)
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // The default sort orders by UTF-16 code units, as `<` does on strings.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = object[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
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
  const fields = c.fields as Record<string, unknown>;
  const names = Object.keys(fields).sort();
  let f = '{';
  let first = true;
  for (const name of names) {
    const v = fields[name];
    if (v === undefined) continue;
    const pair = v as { from?: unknown; to?: unknown } | null;
    const plain = pair !== null && typeof pair === 'object' && !Array.isArray(pair) && Object.keys(pair).length === 2 && pair.from !== undefined && pair.to !== undefined;
    const text = plain ? `{"from":${canonicalJson(pair.from)},"to":${canonicalJson(pair.to)}}` : canonicalJson(v);
    f += `${first ? '' : ','}${JSON.stringify(name)}:${text}`;
    first = false;
  }
  f += '}';
  const s = (v: unknown) => canonicalJson(v);
  return `{"allegationId":${s(c.allegationId)},"entity":${s(c.entity)},"fields":${f},"hlc":${s(c.hlc)},"id":${s(c.id)},"op":${s(c.op)},"userId":${s(c.userId)}}`;
}
