// Why an upload failed, in words people understand: the bucket's refusals and bucketgate's own
// (an ApiError from api.js). S3 answers refusals with an XML body
// (<Error><Code>…</Code><Message>…</Message></Error>); some servers (Ceph RGW) send it without CORS
// headers, so the page sees only a network error and must judge from what it knows (the ticket's
// expiry). Pure: no DOM beyond DOMParser, no network.

/** A failed upload: `reason` is shown as is; `retryable` says whether a fresh attempt can help. */
export class UploadError extends Error {
  /**
   * @param {string} reason
   * @param {{retryable?: boolean, code?: string}} [opts]
   */
  constructor(reason, { retryable = true, code = '' } = {}) {
    super(reason)
    this.name = 'UploadError'
    this.reason = reason
    this.retryable = retryable
    this.code = code
  }
}

export const REASONS = {
  tooLarge: 'Too large: the file is bigger than this upload allows',
  tooSmall: 'The file changed size while uploading; try again',
  typeNotAllowed: 'Type not allowed: the storage refused this kind of file',
  expired: 'The upload link expired; retry to get a fresh one',
  exists: 'A file with this name is already there',
  signature: 'The storage refused the upload signature; retry to get a fresh link',
  busy: 'The storage is busy; try again in a moment',
  refusedOrOffline: 'The storage refused the upload or could not be reached; try again',
  cancelled: 'Cancelled',
}

/**
 * bucketgate refused an upload call (an ApiError: status, code, message, retryable). Its limits
 * (413, 415) are said in the same words as the page's own check; whether a retry can help is the
 * API client's one rule.
 * @param {{status: number, code: string, message: string, retryable: boolean}} err
 */
export function apiRefusal(err) {
  const { status, code, message, retryable } = err
  if (status === 413) return new UploadError(`Too large: ${message}`, { retryable: false, code })
  if (status === 415) return new UploadError(`Type not allowed: ${message}`, { retryable: false, code })
  return new UploadError(message, { retryable, code })
}

/**
 * The <Code> and <Message> of an S3 XML error body ({} when there is none or it is not XML).
 * @param {string} body
 * @returns {{code?: string, message?: string}}
 */
export function parseS3Error(body) {
  if (!body || !body.trimStart().startsWith('<')) return {}
  const doc = new DOMParser().parseFromString(body, 'application/xml')
  const text = (/** @type {string} */ tag) => doc.getElementsByTagName(tag)[0]?.textContent?.trim() ?? ''
  return { code: text('Code'), message: text('Message') }
}

const EXPIRED_CODES = new Set(['ExpiredToken', 'RequestExpired', 'TokenRefreshRequired'])
const EXPIRED_MESSAGE = /policy expired|request has expired|expired/i
// S3 words a failed POST-policy condition as "Invalid according to Policy: Policy Condition failed: [...]".
const POLICY_CONDITION = /policy condition failed|invalid according to policy/i
const BUSY_CODES = new Set(['SlowDown', 'ServiceUnavailable', 'InternalError', 'RequestTimeout'])

/**
 * Translates one S3 refusal (status, XML code and message) into an UploadError.
 * @param {number} status
 */
export function s3Refusal(status, code = '', message = '') {
  if (code === 'EntityTooLarge' || code === 'MaxMessageLengthExceeded')
    return new UploadError(REASONS.tooLarge, { retryable: false, code })
  if (code === 'EntityTooSmall' || code === 'IncompleteBody') return new UploadError(REASONS.tooSmall, { code })
  if (EXPIRED_CODES.has(code) || (code === 'AccessDenied' && EXPIRED_MESSAGE.test(message)))
    return new UploadError(REASONS.expired, { code })
  if (POLICY_CONDITION.test(message)) {
    return /content-type/i.test(message)
      ? new UploadError(REASONS.typeNotAllowed, { retryable: false, code })
      : new UploadError(`The storage's upload rules refused it (${message})`, { retryable: false, code })
  }
  if (code === 'PreconditionFailed') return new UploadError(REASONS.exists, { retryable: false, code })
  if (code === 'SignatureDoesNotMatch') return new UploadError(REASONS.signature, { code })
  if (BUSY_CODES.has(code) || status >= 500) return new UploadError(REASONS.busy, { code })
  if (status === 413) return new UploadError(REASONS.tooLarge, { retryable: false, code })
  const detail = [code, message].filter(Boolean).join(': ')
  return new UploadError(`The storage refused it (${status}${detail ? ` ${detail}` : ''})`, { code })
}

/**
 * A request that ended without a readable answer. A refusal without CORS headers looks the same as
 * a dropped connection; past the ticket's expiry, expiry is the likely cause.
 * @param {string | undefined} expiresAt
 */
export function networkFailure(expiresAt, now = Date.now()) {
  const expiry = expiresAt ? Date.parse(expiresAt) : NaN
  if (Number.isFinite(expiry) && now >= expiry) return new UploadError(REASONS.expired)
  return new UploadError(REASONS.refusedOrOffline)
}
