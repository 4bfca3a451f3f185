// What may be uploaded: the declared type against UPLOAD_ALLOWED_TYPES (exact or `type/*`), the
// declared size against UPLOAD_MAX_BYTES. Pure; throws the 415 / 413 the API promises.
import { ApiError } from '../errors'

export function typeAllowed(type: string, allowed: readonly string[]): boolean {
  const major = type.slice(0, type.indexOf('/'))
  return allowed.some((a) => a === type || a === '*/*' || a === `${major}/*`)
}

export function checkUpload(type: string, size: number, limits: { maxBytes: number; allowedTypes: readonly string[] }) {
  if (size > limits.maxBytes) {
    throw new ApiError(413, 'too_large', `The file is ${size} bytes; the limit is ${limits.maxBytes} bytes`)
  }
  if (!typeAllowed(type, limits.allowedTypes)) {
    throw new ApiError(415, 'unsupported_type', `Files of type ${type} are not accepted`)
  }
}

/** A preview's declared size against THUMBNAIL_MAX_BYTES (its type is always image/webp). */
export function checkPreview(size: number, limits: { thumbnailMaxBytes: number }) {
  if (size > limits.thumbnailMaxBytes) {
    throw new ApiError(413, 'too_large', `The preview is ${size} bytes; the limit is ${limits.thumbnailMaxBytes} bytes`)
  }
}
