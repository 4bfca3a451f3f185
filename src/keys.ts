// The key policy: the only place that decides which object keys belong to a user.
// Rule: a user's root prefix is derived from their verified subject alone, and every key a client
// sends is relative, validated here, then joined under that root; nothing a client sends can name
// a key outside it. Pure functions: no I/O, no Hono context.
import { ApiError } from './errors'

/** S3's limit on a key, in UTF-8 bytes, counted with the root prefix included. */
export const MAX_KEY_BYTES = 1024

/** Longest subject accepted, in characters; keeps the root short enough to leave room for names. */
export const MAX_SUBJECT_LENGTH = 128

const encoder = new TextEncoder()
const SUBJECT_SAFE = /^[A-Za-z0-9_-]$/
/** C0 and C1 control characters: never part of a key or a file name. */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/

export function utf8Length(s: string): number {
  return encoder.encode(s).length
}

/**
 * Encodes a subject into one key segment. Characters outside [A-Za-z0-9_-] (including `~`, `.`
 * and `/`) become `~XX` per UTF-8 byte, so the encoding is injective: two subjects never share a
 * root, and no root is a prefix of another because every root ends in `/` and holds no other `/`.
 */
export function encodeSubject(subject: string): string {
  let out = ''
  for (const ch of subject) {
    if (SUBJECT_SAFE.test(ch)) {
      out += ch
      continue
    }
    for (const byte of encoder.encode(ch)) out += '~' + byte.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

/** The caller's root prefix, e.g. `users/alice/`. `prefix` is the configured USER_PREFIX. */
export function userRoot(prefix: string, subject: string): string {
  if (subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH || !subject.isWellFormed()) {
    throw new ApiError(401, 'unauthenticated', 'The token subject is missing or unusable')
  }
  return `${prefix}${encodeSubject(subject)}/`
}

function invalidKey(message: string): ApiError {
  return new ApiError(400, 'invalid_key', message)
}

/** Validates a client-supplied relative key and joins it under `root`; throws 400 otherwise. */
export function resolveKey(root: string, relative: string): string {
  if (typeof relative !== 'string' || relative.length === 0) throw invalidKey('The key is empty')
  if (!relative.isWellFormed()) throw invalidKey('The key is not valid Unicode')
  const key = relative.normalize('NFC')
  if (key.startsWith('/')) throw invalidKey('The key must be relative (no leading /)')
  if (key.includes('\\')) throw invalidKey('The key must not contain backslashes')
  if (CONTROL_CHARACTERS.test(key)) throw invalidKey('The key must not contain control characters')
  for (const segment of key.split('/')) {
    if (segment === '') throw invalidKey('The key must not contain empty segments')
    if (segment === '.' || segment === '..') throw invalidKey('The key must not contain . or .. segments')
  }
  const full = root + key
  if (utf8Length(full) > MAX_KEY_BYTES) throw invalidKey(`The key is longer than ${MAX_KEY_BYTES} bytes`)
  return full
}

/** The inverse of resolveKey for keys S3 lists under `root`: what the client may see. */
export function relativeKey(root: string, fullKey: string): string {
  if (!fullKey.startsWith(root)) throw new Error('listed key is outside the requested root')
  return fullKey.slice(root.length)
}

/**
 * Where previews live: a tree beside the user roots, never inside one. USER_PREFIX segments are
 * [a-z0-9_-] and encodeSubject writes `.` as `~2E`, so no root starts with `.previews/`; and every
 * key a client sends is joined under its root (resolveKey), so no client key can name a preview.
 */
export const PREVIEW_TREE = '.previews/'

/** The root of a user's previews: their own root, mirrored under PREVIEW_TREE. */
export function previewRoot(root: string): string {
  return PREVIEW_TREE + root
}

/**
 * The preview of the object at `fullKey` (a key already confined to a user root): the same key
 * under PREVIEW_TREE, so a user's previews sort exactly as their files do.
 */
export function previewKey(fullKey: string): string {
  const key = PREVIEW_TREE + fullKey
  if (utf8Length(key) > MAX_KEY_BYTES) throw invalidKey(`The key is too long to have a preview`)
  return key
}
