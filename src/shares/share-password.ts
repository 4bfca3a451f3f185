// Share passwords are kept only as a salted PBKDF2-SHA256 hash (WebCrypto) and compared in constant
// time. Cloudflare's runtime has refused more than 100,000 PBKDF2 iterations, so that is the count;
// it is stored with each hash, so a later, higher count can sit beside older shares.
import { base64FromBytes, bytesFromBase64 } from '../util/base64'

/** https://github.com/cloudflare/workerd/issues/1346 (OWASP asks 600,000; docs/security.md weighs this). */
export const PBKDF2_ITERATIONS = 100_000
const SALT_BYTES = 16
const HASH_BITS = 256
/** Longest password accepted, in characters: PBKDF2 hashes it with HMAC, so length costs little, but a form field has a limit. */
export const MAX_PASSWORD_LENGTH = 256

export type PasswordHash = { hash: string; salt: string; iterations: number }

const encoder = new TextEncoder()

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, HASH_BITS)
  return new Uint8Array(bits)
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
  const hash = await derive(password, salt, PBKDF2_ITERATIONS)
  return { hash: base64FromBytes(hash), salt: base64FromBytes(salt), iterations: PBKDF2_ITERATIONS }
}

export async function passwordMatches(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = bytesFromBase64(stored.hash)
  const actual = await derive(password, bytesFromBase64(stored.salt), stored.iterations)
  // workerd's timingSafeEqual needs equal lengths; both are HASH_BITS / 8 here.
  return actual.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(actual, expected)
}
