// Scoring repeat-referrer groups against the corpus truth (truth-*.json, referrerClusters): a cluster is found
// whole when every one of its referrals is in one group; a group is false when it holds referrals of more than one
// true person (a referral in no cluster is a person of its own).
export interface ReferrerTruth {
  referrerClusters: Array<{ clusterId: number; members: Array<{ ref: string }> }>;
}

/** Clusters found whole (every member in one group) and groups that hold more than one true person. */
export function scoreClusters(groups: Array<{ refs: string[] }>, clusters: ReferrerTruth['referrerClusters']): { clusters: number; whole: number; groups: number; falseGroups: number } {
  const person = new Map<string, string>();
  for (const c of clusters) for (const m of c.members) person.set(m.ref, `cluster:${c.clusterId}`);
  const groupOf = new Map<string, number>();
  groups.forEach((g, i) => g.refs.forEach((r) => groupOf.set(r, i)));
  const whole = clusters.filter((c) => {
    const gs = new Set(c.members.map((m) => groupOf.get(m.ref)));
    return gs.size === 1 && !gs.has(undefined);
  }).length;
  const falseGroups = groups.filter((g) => new Set(g.refs.map((r) => person.get(r) ?? `alone:${r}`)).size > 1).length;
  return { clusters: clusters.length, whole, groups: groups.length, falseGroups };
}

