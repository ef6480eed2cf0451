// How restricted payloads are stored: sealed by the vault (AES-256-GCM with the allegation's data key), or, in a
// store from before the vault existed, plain JSON until the vault seals it on the next unlock. The change log
// only ever carries the sealed form.
export const SEALED_FORMAT = 'aes256gcm-v1';
export const LEGACY_PLAIN_FORMAT = 'plain-json-v0';
