// Blocking keys are stored as 53-bit integers (two 32-bit FNV-1a-style hashes mixed), so the key table is
// narrow and its index small at a million allegations. A collision only adds a candidate, which scoring drops.
export function keyHash(key: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return (h1 >>> 0) * 2 ** 21 + ((h2 >>> 0) >>> 11);
}
