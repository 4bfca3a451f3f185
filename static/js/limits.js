// The server's rules as /api/me states them (its `limits`), applied in the page: checked before asking
// for a ticket (the server checks again: 413 / 415), which uploader a file takes, and which files show
// inline. The page keeps no copy of the rules themselves. Pure: no DOM, no network.
import { extension, humanSize } from './format.js'

/** @typedef {import('./api.js').Limits} Limits */

/**
 * The type to declare for a file; browsers leave `type` empty when they cannot tell.
 * @param {{type: string}} file
 */
export function uploadType(file) {
  return (file.type || 'application/octet-stream').toLowerCase()
}

/**
 * The server's rule (src/upload-rules.ts): an exact match, `major/*`, or the any-type wildcard.
 * @param {string} type
 * @param {string[]} allowedTypes
 */
export function typeAllowed(type, allowedTypes) {
  const major = type.slice(0, type.indexOf('/'))
  return allowedTypes.some((a) => a === type || a === '*/*' || a === `${major}/*`)
}

/**
 * Why `file` cannot be uploaded under `limits`, or null when it can.
 * @param {{size: number, type: string}} file
 * @param {Limits} limits
 */
export function limitProblem(file, limits) {
  if (file.size > limits.maxBytes) {
    const [size, limit] = [humanSize(file.size), humanSize(limits.maxBytes)]
    // "1 MB; the limit is 1 MB" would puzzle anyone: show bytes when rounding hides the difference.
    if (size === limit) return `Too large: ${file.size} bytes; the limit is ${limits.maxBytes} bytes`
    return `Too large: ${size}; the limit is ${limit}`
  }
  const type = uploadType(file)
  if (!typeAllowed(type, limits.allowedTypes)) return `Type not allowed: files of type ${type} are not accepted`
  return null
}

/**
 * One line for people: "Up to 10 MB each. Accepted: image/png, application/pdf".
 * @param {Limits} limits
 */
export function describeLimits(limits) {
  return `Up to ${humanSize(limits.maxBytes)} each. Accepted: ${limits.allowedTypes.join(', ')}.`
}

/**
 * The file picker's `accept` attribute: the same list, or none when anything goes.
 * @param {Limits} limits
 */
export function acceptAttribute(limits) {
  return limits.allowedTypes.includes('*/*') ? '' : limits.allowedTypes.join(',')
}

/**
 * Whether `file` goes through a multipart upload (resumable, in parts) rather than one request.
 * No threshold (an older server) means one request for every file.
 * @param {{size: number}} file
 * @param {Limits} limits
 */
export function usesMultipart(file, limits) {
  const threshold = limits.multipartThreshold
  return Boolean(threshold) && file.size >= /** @type {number} */ (threshold)
}

/**
 * Whether the server serves a file of this name inline rather than as a download (so a card
 * without a preview can show it on request). Decided by name, as the server does; no list (an
 * older server) means no Show.
 * @param {string} name
 * @param {Limits} limits
 */
export function showsInline(name, limits) {
  const ext = extension(name)
  return ext !== '' && (limits.inlineExtensions ?? []).includes(ext)
}
