// The list cursor handed to clients: S3's continuation token, base64url-wrapped so it is opaque and
// URL-safe. A cursor can only continue a listing; the prefix is always the caller's own root.
import { ApiError } from '../errors'
import { base64FromUtf8, fromBase64Url, toBase64Url, utf8FromBase64 } from '../util/base64'

/** Longest cursor accepted, in characters; S3 tokens are far shorter. */
const MAX_CURSOR_LENGTH = 2048

export function encodeCursor(token: string): string {
  return toBase64Url(base64FromUtf8(token))
}

export function decodeCursor(cursor: string): string {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new ApiError(400, 'invalid_cursor', 'The cursor is not one this service handed out')
  }
  try {
    return utf8FromBase64(fromBase64Url(cursor))
  } catch {
    throw new ApiError(400, 'invalid_cursor', 'The cursor is not one this service handed out')
  }
}
