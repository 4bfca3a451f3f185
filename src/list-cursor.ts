// The list cursor handed to clients: S3's continuation token, base64url-wrapped so it is opaque and
// URL-safe. A cursor can only continue a listing; the prefix is always the caller's own root.
import { ApiError } from './errors'

/** Longest cursor accepted, in characters; S3 tokens are far shorter. */
const MAX_CURSOR_LENGTH = 2048

export function encodeCursor(token: string): string {
  const bytes = new TextEncoder().encode(token)
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i])
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function decodeCursor(cursor: string): string {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new ApiError(400, 'invalid_cursor', 'The cursor is not one this service handed out')
  }
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(binary, (ch) => ch.charCodeAt(0)),
    )
  } catch {
    throw new ApiError(400, 'invalid_cursor', 'The cursor is not one this service handed out')
  }
}
