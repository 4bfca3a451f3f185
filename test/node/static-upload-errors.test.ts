// Why an upload failed, in words, and whether Retry can help (static/js/upload-errors.js). The XML
// parsing needs the browser's DOMParser and is covered by the browser tests.
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../static/js/api.js'
import { apiRefusal, networkFailure, REASONS, s3Refusal, UploadError } from '../../static/js/upload-errors.js'

describe('apiRefusal', () => {
  it("says the server's limits like the page's own check, and final", () => {
    const tooLarge = apiRefusal(new ApiError(413, 'too_large', 'The file is 5 bytes; the limit is 4 bytes'))
    expect(tooLarge).toBeInstanceOf(UploadError)
    expect([tooLarge.reason, tooLarge.retryable, tooLarge.code]).toEqual([
      'Too large: The file is 5 bytes; the limit is 4 bytes',
      false,
      'too_large',
    ])
    const type = apiRefusal(new ApiError(415, 'type_not_allowed', 'Files of type a/b are not accepted'))
    expect([type.reason, type.retryable]).toEqual(['Type not allowed: Files of type a/b are not accepted', false])
  })

  it("follows the API client's retry rule for everything else", () => {
    expect(apiRefusal(new ApiError(503, 'storage_unavailable', 'busy')).retryable).toBe(true)
    expect(apiRefusal(new ApiError(0, 'network', 'offline')).retryable).toBe(true)
    expect(apiRefusal(new ApiError(429, 'rate_limited', 'slow down')).retryable).toBe(true)
    const bad = apiRefusal(new ApiError(400, 'invalid_request', 'name: required'))
    expect([bad.reason, bad.retryable]).toEqual(['name: required', false])
  })
})

describe('s3Refusal', () => {
  it('translates S3 codes into reasons, final only where a retry cannot help', () => {
    const cases: [number, string, string, string, boolean][] = [
      [400, 'EntityTooLarge', '', REASONS.tooLarge, false],
      [400, 'EntityTooSmall', '', REASONS.tooSmall, true],
      [403, 'AccessDenied', 'Request has expired', REASONS.expired, true],
      [
        403,
        'AccessDenied',
        'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "a/b"]',
        REASONS.typeNotAllowed,
        false,
      ],
      [412, 'PreconditionFailed', '', REASONS.exists, false],
      [403, 'SignatureDoesNotMatch', '', REASONS.signature, true],
      [503, 'SlowDown', '', REASONS.busy, true],
      [500, '', '', REASONS.busy, true],
      [413, '', '', REASONS.tooLarge, false],
    ]
    for (const [status, code, message, reason, retryable] of cases) {
      const err = s3Refusal(status, code, message)
      expect([err.reason, err.retryable], `${status} ${code}`).toEqual([reason, retryable])
    }
    expect(s3Refusal(403, 'AccessDenied', 'no').reason).toBe('The storage refused it (403 AccessDenied: no)')
  })
})

describe('networkFailure', () => {
  it('blames expiry only once the ticket has expired', () => {
    const expiresAt = '2026-01-01T00:00:10Z'
    expect(networkFailure(expiresAt, Date.parse('2026-01-01T00:00:09Z')).reason).toBe(REASONS.refusedOrOffline)
    expect(networkFailure(expiresAt, Date.parse('2026-01-01T00:00:10Z')).reason).toBe(REASONS.expired)
    expect(networkFailure(undefined).reason).toBe(REASONS.refusedOrOffline)
  })
})
