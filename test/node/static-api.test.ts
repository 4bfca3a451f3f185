// The API client's one error type and one retry rule (static/js/api.js): which failures a retry can
// fix, and how the server's {"error": {"code", "message"}} becomes an ApiError.
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  ApiError,
  downloadUrl,
  errorFromAnswer,
  fileUrl,
  onRateLimited,
  requestTicket,
  retryableStatus,
} from '../../static/js/api.js'

describe('retryableStatus', () => {
  it('retries no answer, 408, 429 and 5xx; every other 4xx is final', () => {
    for (const status of [0, 408, 429, 500, 502, 503, 504]) expect(retryableStatus(status), String(status)).toBe(true)
    for (const status of [400, 401, 403, 404, 409, 413, 415, 422])
      expect(retryableStatus(status), String(status)).toBe(false)
  })
})

describe('errorFromAnswer', () => {
  it("carries the server's status, code and message, and the retry rule", () => {
    const err = errorFromAnswer(413, { error: { code: 'too_large', message: 'The file is 2 bytes' } })
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toBeInstanceOf(Error)
    expect([err.status, err.code, err.message, err.retryable]).toEqual([413, 'too_large', 'The file is 2 bytes', false])
    expect(errorFromAnswer(503, { error: { code: 'storage_unavailable', message: 'busy' } }).retryable).toBe(true)
  })

  it('still says something readable for a body that is not the error shape (a proxy page)', () => {
    const err = errorFromAnswer(502, null, 'Bad Gateway')
    expect([err.code, err.message, err.retryable]).toEqual(['http_502', 'bucketgate answered 502 Bad Gateway', true])
    expect(errorFromAnswer(404, { error: 'nope' }).message).toBe('bucketgate answered 404')
  })
})

describe('file URLs', () => {
  it('encodes each segment of a key but keeps its slashes; the download form adds ?download', () => {
    expect(fileUrl('0ab/a b#?.png')).toBe('api/files/0ab/a%20b%23%3F.png')
    expect(downloadUrl('0ab/x.png')).toBe('api/files/0ab/x.png?download')
  })
})

describe('rate limits', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('waits out a 429 as its Retry-After says, tells the page, then sends the call again', async () => {
    vi.useFakeTimers()
    const answers = [
      Response.json(
        { error: { code: 'rate_limited', message: 'Too many' } },
        { status: 429, headers: { 'Retry-After': '60' } },
      ),
      Response.json({ key: 'k' }),
    ]
    const fetch = vi.fn(async () => answers.shift()!)
    vi.stubGlobal('fetch', fetch)
    const waits: number[] = []
    onRateLimited((seconds) => waits.push(seconds))
    const ticket = requestTicket({ name: 'a.txt', type: 'text/plain', size: 1 })
    await vi.advanceTimersByTimeAsync(59_000)
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(waits).toEqual([60])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(await ticket).toEqual({ key: 'k' })
    expect(fetch).toHaveBeenCalledTimes(2)
  })
})
