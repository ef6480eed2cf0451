// Grouping referrals by the person who made them, from blind-index digests alone (equal digests mean equal
// normalised identifiers; nothing else can be read from them). The National Source Unit must find repeat
// referrers automatically (000 §5.4) without a false group of different people, so links are cautious:
// - a shared phone number links two referrals unless their email addresses contradict;
// - a shared email address, name-at-postcode or house-at-postcode links them unless phones, emails, postcodes or
//   forenames contradict (people share family email addresses; generated ones collide);
// - a name alone (as written or as it sounds, with the same relationship to the subject) only attaches a
//   referral that has nothing else to go on to the one group whose name it matches, and never starts a group.
import type { SourceKeyKind } from './keys.ts';

export interface ReferralKeys {
  id: string;
  keys: ReadonlyArray<{ kind: SourceKeyKind; digest: string }>;
}

export interface ReferrerGroup {
  ids: string[];
  /** Which kinds of identifier linked the group. */
  linkedBy: SourceKeyKind[];
}

type Linking = 'phone' | 'email' | 'name_postcode' | 'house_postcode' | 'house_street';
const LINKING: Linking[] = ['phone', 'email', 'name_postcode', 'house_postcode', 'house_street'];
const WEAK: SourceKeyKind[] = ['name_relationship', 'sound_relationship', 'initial_relationship', 'prefix_relationship'];
/** For each linking kind, which kinds must not contradict. */
const MUST_AGREE: Record<Linking, SourceKeyKind[]> = {
  phone: ['email'],
  email: ['phone', 'postcode', 'forename'],
  name_postcode: ['phone', 'email'],
  house_postcode: ['phone', 'email', 'forename'],
  house_street: ['phone', 'email', 'postcode', 'forename'],
};

interface Group {
  ids: string[];
  values: Map<SourceKeyKind, Set<string>>;
  linkedBy: Set<SourceKeyKind>;
}

export function groupReferrals(referrals: readonly ReferralKeys[]): ReferrerGroup[] {
  const groupOf = new Map<string, Group>();
  for (const r of referrals) {
    const values = new Map<SourceKeyKind, Set<string>>();
    for (const k of r.keys) {
      let set = values.get(k.kind);
      if (!set) values.set(k.kind, (set = new Set()));
      set.add(k.digest);
    }
    groupOf.set(r.id, { ids: [r.id], values, linkedBy: new Set() });
  }
  const contradicts = (a: Group, b: Group, kinds: SourceKeyKind[]) =>
    kinds.some((kind) => {
      const x = a.values.get(kind);
      const y = b.values.get(kind);
      return x && y && x.size > 0 && y.size > 0 && ![...x].some((v) => y.has(v));
    });
  const merge = (a: Group, b: Group, by: SourceKeyKind) => {
    if (a === b) return;
    const [big, small] = a.ids.length >= b.ids.length ? [a, b] : [b, a];
    for (const id of small.ids) {
      big.ids.push(id);
      groupOf.set(id, big);
    }
    for (const [kind, set] of small.values) {
      const into = big.values.get(kind) ?? new Set<string>();
      for (const v of set) into.add(v);
      big.values.set(kind, into);
    }
    for (const k of small.linkedBy) big.linkedBy.add(k);
    big.linkedBy.add(by);
  };

  // Strong links first, in order of reliability; a link is taken only if the two groups do not contradict.
  for (const kind of LINKING) {
    const firstWith = new Map<string, string>();
    for (const r of referrals) {
      for (const k of r.keys) {
        if (k.kind !== kind) continue;
        const other = firstWith.get(k.digest);
        if (other === undefined) {
          firstWith.set(k.digest, r.id);
          continue;
        }
        const a = groupOf.get(other) as Group;
        const b = groupOf.get(r.id) as Group;
        if (a !== b && !contradicts(a, b, MUST_AGREE[kind])) merge(a, b, kind);
      }
    }
  }

  // Weak links: a referral with nothing but a name joins the single multi-referral group with that name.
  const hasStrong = (g: Group) => LINKING.some((k) => (g.values.get(k)?.size ?? 0) > 0);
  for (const kind of WEAK) {
    const groupsByDigest = new Map<string, Set<Group>>();
    for (const r of referrals) {
      const g = groupOf.get(r.id) as Group;
      if (g.ids.length < 2) continue;
      for (const k of r.keys) if (k.kind === kind) (groupsByDigest.get(k.digest) ?? groupsByDigest.set(k.digest, new Set()).get(k.digest))?.add(g);
    }
    for (const r of referrals) {
      const g = groupOf.get(r.id) as Group;
      if (g.ids.length > 1 || hasStrong(g)) continue;
      const candidates = new Set<Group>();
      for (const k of r.keys) if (k.kind === kind) for (const c of groupsByDigest.get(k.digest) ?? []) candidates.add(c);
      const only = [...candidates][0];
      if (candidates.size === 1 && only && !contradicts(only, g, ['forename'])) merge(only, g, kind);
    }
  }

  const seen = new Set<Group>();
  const out: ReferrerGroup[] = [];
  for (const g of groupOf.values()) {
    if (seen.has(g) || g.ids.length < 2) continue;
    seen.add(g);
    out.push({ ids: [...g.ids], linkedBy: [...g.linkedBy] });
  }
  return out;
}
