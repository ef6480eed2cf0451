// Grouping referrals by the person who made them, from blind-index digests alone (equal digests mean equal
// normalised identifiers; nothing else can be read from them). The National Source Unit must find repeat
// referrers automatically (000 §5.4) without a false group of different people, so links are cautious:
// - a shared phone number links two referrals unless their email addresses contradict;
// - a name at a postcode, a house at a postcode or in a street, or a name at a house links them unless phones,
//   emails, postcodes or forenames contradict;
// - a shared email address links them only with a second key that agrees (a postcode, a house, a name or its
//   initial and sound) and nothing that contradicts: families share an address, generated ones collide;
// - a name alone (as written, as it sounds, with an initial, or one typing slip away, always with the same
//   relationship to the subject) only attaches a referral that has nothing else to go on, and only to the one
//   group it matches nationally; to a referral not yet in a group only when they also reported the same subject
//   (by name, or at the same postcode): a repeat referrer often reports the same person again, while two
//   people of one name rarely report one subject.
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

type Linking = 'phone' | 'email' | 'name_postcode' | 'house_postcode' | 'house_street' | 'name_house';
const LINKING: Linking[] = ['phone', 'name_postcode', 'name_house', 'house_postcode', 'house_street', 'email'];
const WEAK: SourceKeyKind[] = ['name_relationship', 'sound_relationship', 'initial_relationship', 'prefix_relationship', 'near_relationship'];
/** For each linking kind, which kinds must not contradict. */
const MUST_AGREE: Record<Linking, SourceKeyKind[]> = {
  phone: ['email'],
  email: ['phone', 'postcode', 'forename'],
  name_postcode: ['phone', 'email'],
  name_house: ['phone', 'email', 'postcode'],
  house_postcode: ['phone', 'email', 'forename'],
  house_street: ['phone', 'email', 'postcode', 'forename'],
};
/** Kinds of which one must also agree before a link is taken (a family's shared email alone is not enough). */
const REPORTED: SourceKeyKind[] = ['subject_name', 'subject_postcode'];
/** A name links nothing that any detail contradicts. */
const WEAK_MUST_AGREE: SourceKeyKind[] = ['phone', 'email', 'postcode', 'forename'];
const SECOND_KEY: Partial<Record<Linking, SourceKeyKind[]>> = {
  email: ['postcode', 'name_postcode', 'name_house', 'house_postcode', 'house_street', 'name_relationship', 'sound_relationship', 'initial_relationship', 'prefix_relationship', 'near_relationship'],
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
  const agrees = (a: Group, b: Group, kinds: SourceKeyKind[]) =>
    kinds.some((kind) => {
      const x = a.values.get(kind);
      const y = b.values.get(kind);
      return x && y && [...x].some((v) => y.has(v));
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
        const second = SECOND_KEY[kind];
        if (a !== b && !contradicts(a, b, MUST_AGREE[kind]) && (!second || agrees(a, b, second))) merge(a, b, kind);
      }
    }
  }

  // Weak links: a referral with nothing but a name joins the one group its name matches nationally (or the one
  // referral that also reported the same subject). One with contact details or an address that linked to nobody
  // is more likely someone else of that name, and stays alone. Repeated until nothing moves: a pair formed late
  // may be the one group an earlier referral's name matches.
  const hasStrong = (g: Group) => LINKING.some((k) => (g.values.get(k)?.size ?? 0) > 0);
  const idsByDigest = new Map<SourceKeyKind, Map<string, string[]>>();
  for (const kind of WEAK) idsByDigest.set(kind, new Map());
  for (const r of referrals) {
    for (const k of r.keys) {
      const byDigest = idsByDigest.get(k.kind);
      if (byDigest) (byDigest.get(k.digest) ?? byDigest.set(k.digest, []).get(k.digest))?.push(r.id);
    }
  }
  for (let moved = true, pass = 0; moved && pass < 5; pass++) {
    moved = false;
    for (const kind of WEAK) {
      const byDigest = idsByDigest.get(kind) as Map<string, string[]>;
      for (const r of referrals) {
        const g = groupOf.get(r.id) as Group;
        if (g.ids.length > 1 || hasStrong(g)) continue;
        const candidates = new Set<Group>();
        for (const k of r.keys) {
          if (k.kind !== kind) continue;
          for (const id of byDigest.get(k.digest) ?? []) {
            const c = groupOf.get(id) as Group;
            if (c !== g && (c.ids.length > 1 || agrees(c, g, REPORTED))) candidates.add(c);
          }
        }
        const only = [...candidates][0];
        if (candidates.size === 1 && only && !contradicts(only, g, WEAK_MUST_AGREE)) {
          merge(only, g, kind);
          moved = true;
        }
      }
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
