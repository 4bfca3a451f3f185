// Bytes and UTF-8 text ⇄ base64 (btoa takes only Latin-1), and the base64url form (RFC 4648 §5):
// for the POST policy document, the list cursor and the multipart upload token.
const encoder = new TextEncoder()

export function base64FromBytes(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i])
  return btoa(binary)
}

/** Throws on bad base64. */
export function bytesFromBase64(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))
}

export function base64FromUtf8(text: string): string {
  return base64FromBytes(encoder.encode(text))
}

/** Throws on bad base64 or bytes that are not UTF-8. */
export function utf8FromBase64(base64: string): string {
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytesFromBase64(base64))
}

/** base64 → base64url: `-` and `_` for `+` and `/`, no padding. */
export function toBase64Url(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** base64url → base64 that atob reads (it does not need the padding back). */
export function fromBase64Url(base64url: string): string {
  return base64url.replace(/-/g, '+').replace(/_/g, '/')
}
