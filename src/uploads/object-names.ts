// How an upload's key is chosen: `<id>/<sanitized name>` under the caller's root. The id sorts
// newest first in S3's lexicographic listing and is unique without asking S3 (48-bit time + 40
// random bits), so a new upload never overwrites an existing file.
const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz' // Crockford's alphabet, lowercase

/** Largest millisecond timestamp that fits the 10-character time part (year 10889). */
const MAX_TIME_MS = 2 ** 48 - 1

/** Longest sanitized file name kept in a key, in UTF-8 bytes; the rest of the 1024 is for the root. */
const MAX_NAME_BYTES = 200

const encoder = new TextEncoder()

function base32(value: number, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) {
    out = BASE32[value % 32] + out
    value = Math.floor(value / 32)
  }
  return out
}

/** `random` must hold at least 5 bytes; it is a parameter so tests are exact. */
export function objectId(nowMs: number, random: Uint8Array): string {
  let tail = ''
  for (let i = 0; i < 8; i++) {
    // 8 characters × 5 bits = 40 bits from 5 bytes.
    const bit = i * 5
    const byte = bit >> 3
    const word = (random[byte] << 8) | (random[byte + 1] ?? 0)
    tail += BASE32[(word >> (11 - (bit & 7))) & 31]
  }
  return base32(MAX_TIME_MS - nowMs, 10) + tail
}

function truncateBytes(s: string, maxBytes: number): string {
  let out = ''
  let bytes = 0
  for (const ch of s) {
    bytes += encoder.encode(ch).length
    if (bytes > maxBytes) break
    out += ch
  }
  return out
}

/**
 * A file name made safe to sit in a key and in a Content-Disposition header: the last path
 * component only, letters/digits/marks and a few punctuation characters kept, everything else
 * `_`, no leading dots, at most MAX_NAME_BYTES with the extension preserved.
 */
export function sanitizeName(name: string): string {
  const base = name.normalize('NFC').split(/[/\\]/).pop() ?? ''
  let clean = base
    .replace(/[^\p{L}\p{N}\p{M} ._()[\]+,@&=!'~%-]/gu, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[. ]+/, '')
  if (encoder.encode(clean).length > MAX_NAME_BYTES) {
    const dot = clean.lastIndexOf('.')
    const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : ''
    clean = truncateBytes(clean.slice(0, clean.length - ext.length), MAX_NAME_BYTES - ext.length) + ext
  }
  return clean || 'file'
}

/** The file name shown to people: the last segment of a relative key. */
export function displayName(relativeKey: string): string {
  return relativeKey.slice(relativeKey.lastIndexOf('/') + 1)
}

/** A new upload's key relative to the caller's root: `<id>/<sanitized name>`, the id taken at `now`. */
export function newObjectName(name: string, now: Date): string {
  return `${objectId(now.getTime(), crypto.getRandomValues(new Uint8Array(5)))}/${sanitizeName(name)}`
}
