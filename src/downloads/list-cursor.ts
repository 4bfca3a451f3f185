// The list cursor handed to clients: the page's last key (relative), base64url-wrapped so it is opaque
// and URL-safe. The listing starts after it (S3's start-after) in the files and in their previews
// alike; the route joins it under the caller's root like any key, so a cursor only moves a listing
// within the caller's own files.
import { ApiError } from '../errors'
import { base64FromUtf8, fromBase64Url, toBase64Url, utf8FromBase64 } from '../util/base64'

/** Longest cursor accepted, in characters: a 1024-byte key, base64url-wrapped, fits. */
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
