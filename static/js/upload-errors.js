// Why an upload failed, in words people understand. S3 answers refusals with an XML body
// (<Error><Code>…</Code><Message>…</Message></Error>); some servers (Ceph RGW) send it without CORS
// headers, so the page sees only a network error and must judge from what it knows (the ticket's
// expiry). Pure: no DOM beyond DOMParser, no network.

/** A failed upload: `reason` is shown as is; `retryable` says whether a fresh attempt can help. */
export class UploadError extends Error {
  constructor(reason, { retryable = true, code = '' } = {}) {
    super(reason)
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

/** The <Code> and <Message> of an S3 XML error body ({} when there is none or it is not XML). */
export function parseS3Error(body) {
  if (!body || !body.trimStart().startsWith('<')) return {}
  const doc = new DOMParser().parseFromString(body, 'application/xml')
  const text = (tag) => doc.getElementsByTagName(tag)[0]?.textContent?.trim() ?? ''
  return { code: text('Code'), message: text('Message') }
}

const EXPIRED_CODES = new Set(['ExpiredToken', 'RequestExpired', 'TokenRefreshRequired'])
const EXPIRED_MESSAGE = /policy expired|request has expired|expired/i
// S3 words a failed POST-policy condition as "Invalid according to Policy: Policy Condition failed: [...]".
const POLICY_CONDITION = /policy condition failed|invalid according to policy/i
const BUSY_CODES = new Set(['SlowDown', 'ServiceUnavailable', 'InternalError', 'RequestTimeout'])

/** Translates one S3 refusal (status, XML code and message) into an UploadError. */
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
 */
export function networkFailure(expiresAt, now = Date.now()) {
  const expiry = Date.parse(expiresAt)
  if (Number.isFinite(expiry) && now >= expiry) return new UploadError(REASONS.expired)
  return new UploadError(REASONS.refusedOrOffline)
}
