// The upload limits from /api/me, checked in the browser before asking for a ticket. The server
// checks again (413 / 415); this only lets the page say so sooner.
import { humanSize } from './format.js'

/** The type to declare for a file; browsers leave `type` empty when they cannot tell. */
export function uploadType(file) {
  return (file.type || 'application/octet-stream').toLowerCase()
}

/** The server's rule (src/upload-rules.ts): an exact match, `major/*`, or the any-type wildcard. */
export function typeAllowed(type, allowedTypes) {
  const major = type.slice(0, type.indexOf('/'))
  return allowedTypes.some((a) => a === type || a === '*/*' || a === `${major}/*`)
}

/** Why `file` cannot be uploaded under `limits`, or null when it can. */
export function limitProblem(file, limits) {
  if (file.size > limits.maxBytes) {
    const [size, limit] = [humanSize(file.size), humanSize(limits.maxBytes)]
    // "1 MB; the limit is 1 MB" would puzzle anyone: show bytes when rounding hides the difference.
    if (size === limit) return `Too large: ${file.size} bytes; the limit is ${limits.maxBytes} bytes`
    return `Too large: ${size}; the limit is ${limit}`
  }
  const type = uploadType(file)
  if (!typeAllowed(type, limits.allowedTypes)) return `Files of type ${type} are not accepted`
  return null
}

/** One line for people: "Up to 10 MB each. Accepted: image/png, application/pdf". */
export function describeLimits(limits) {
  return `Up to ${humanSize(limits.maxBytes)} each. Accepted: ${limits.allowedTypes.join(', ')}.`
}

/** The file picker's `accept` attribute: the same list, or none when anything goes. */
export function acceptAttribute(limits) {
  return limits.allowedTypes.includes('*/*') ? '' : limits.allowedTypes.join(',')
}
