// The bucketgate API client: every call the page makes to its API goes through `request`, so the
// session cookie, JSON, the {"error": {"code", "message"}} shape and the retry rule live here once.
// Paths are relative (`api/…`): the page and its API sit side by side wherever a host mounts them.
// Calls to the bucket itself (presigned URLs) are transfer.js's, not this module's.

/**
 * Whether a failure with this HTTP status may succeed when tried again (0: no answer at all).
 * @param {number} status
 */
export function retryableStatus(status) {
  return status === 0 || status === 408 || status === 429 || status >= 500
}

/** A failed API call: the HTTP status (0 when the server was not reached), the server's code and message. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    /** For a 429: how long the server asked to wait, in seconds. @type {number | undefined} */
    this.retryAfterSeconds = undefined
  }

  /** The one rule for every caller: no answer, 408, 429 and 5xx may pass; other 4xx are final. */
  get retryable() {
    return retryableStatus(this.status)
  }
}

/**
 * The ApiError for a non-2xx answer; `data` is its parsed body or null. A body that is not the
 * server's JSON (a proxy's error page) still yields a readable message.
 * @param {number} status
 * @param {any} data
 * @param {string} [statusText]
 */
export function errorFromAnswer(status, data, statusText = '') {
  const error = data?.error
  return new ApiError(
    status,
    typeof error?.code === 'string' ? error.code : `http_${status}`,
    typeof error?.message === 'string' ? error.message : `bucketgate answered ${status} ${statusText}`.trim(),
  )
}

/** How often a call the server rate-limits (429) is sent again, after waiting as it asks. */
const RATE_LIMIT_RETRIES = 3
/** Waited when a 429 names no Retry-After, in seconds. */
const DEFAULT_RETRY_AFTER_SECONDS = 10

/** @type {Set<(waitSeconds: number) => void>} */
const rateLimitListeners = new Set()

/**
 * `listener(seconds)` is told each time a call waits out a rate limit, so the page can say so.
 * @param {(waitSeconds: number) => void} listener
 */
export function onRateLimited(listener) {
  rateLimitListeners.add(listener)
}

/**
 * Waits `seconds`, or rejects as soon as `signal` aborts.
 * @param {number} seconds
 * @param {AbortSignal} [signal]
 */
function pause(seconds, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, seconds * 1000)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    })
  })
}

/**
 * Sends one call; a 429 (rate limited) is waited out as its Retry-After says and sent again, a few
 * times, before it fails like any other answer.
 * @param {string} path
 * @param {{method?: string, body?: unknown, headers?: Record<string, string>, signal?: AbortSignal}} [opts]
 * @returns {Promise<any>} the parsed JSON answer, null for 204
 */
async function request(path, opts = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestOnce(path, opts)
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 429) || attempt >= RATE_LIMIT_RETRIES) throw err
      const seconds = err.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS
      for (const listener of rateLimitListeners) listener(seconds)
      await pause(seconds, opts.signal)
    }
  }
}

/**
 * @param {string} path
 * @param {{method?: string, body?: unknown, headers?: Record<string, string>, signal?: AbortSignal}} [opts]
 */
async function requestOnce(path, { method = 'GET', body, headers = {}, signal } = {}) {
  /** @type {RequestInit & {headers: Record<string, string>}} */
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin', signal }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  let res
  try {
    res = await fetch(path, init)
  } catch (err) {
    // A cancel is the caller's own doing: let it see the abort, not a network failure.
    if (signal?.aborted) throw err
    throw new ApiError(0, 'network', 'Could not reach bucketgate; check the connection and try again')
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null)
  if (!res.ok) {
    const error = errorFromAnswer(res.status, data, res.statusText)
    const retryAfter = Number(res.headers.get('Retry-After'))
    if (retryAfter > 0) error.retryAfterSeconds = retryAfter
    throw error
  }
  return data
}

// --- session and files ---------------------------------------------------------------------------

/**
 * `api/files/<key>` (relative to the page) with each `/`-separated segment encoded, so the key's slashes survive.
 * @param {string} key
 */
export function fileUrl(key) {
  return `api/files/${key.split('/').map(encodeURIComponent).join('/')}`
}

/**
 * The same file as an attachment, even an image (the server signs `attachment` for `?download`).
 * @param {string} key
 */
export function downloadUrl(key) {
  return `${fileUrl(key)}?download`
}

/** @returns {Promise<{devSignIn: boolean}>} */
export const getAuth = () => request('api/auth')
/** @param {string} name */
export const signIn = (name) => request('api/auth/dev', { method: 'POST', body: { name } })
export const signOut = () => request('api/auth/dev', { method: 'DELETE' })

/**
 * What the server allows this user; the page keeps no copy of these rules. No `thumbnailMaxBytes`
 * (an older server) means no previews are made.
 * @typedef {{maxBytes: number, allowedTypes: string[], multipartThreshold?: number, partBytes?: number,
 *   inlineExtensions?: string[], shareMaxSeconds?: number | null, thumbnailMaxBytes?: number}} Limits
 */

/**
 * The signed-in user, their limits and their storage use (null when the server keeps no ledger),
 * or null when nobody is signed in (401).
 * @returns {Promise<{id: string, limits: Limits, usage: import('./usage.js').Usage | null} | null>}
 */
export async function getMe() {
  try {
    return await request('api/me')
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null
    throw err
  }
}

/**
 * An upload ticket for one file: `{ key, expiresAt, upload }`, upload `{ method: 'POST', url, fields }` or `{ method: 'PUT', url, headers }`.
 * @param {{name: string, type: string, size: number}} file
 * @param {AbortSignal} [signal]
 */
export const requestTicket = ({ name, type, size }, signal) =>
  request('api/uploads', { method: 'POST', body: { name, type, size }, signal })

/**
 * A ticket for the preview of an original already stored (`key` as its own ticket returned it):
 * `{ key, expiresAt, upload }`, signed for exactly `size` bytes of image/webp.
 * @param {{key: string, size: number}} preview
 * @param {AbortSignal} [signal]
 */
export const requestPreviewTicket = ({ key, size }, signal) =>
  request('api/uploads/preview', { method: 'POST', body: { key, size }, signal })

/**
 * Tells the server the bucket took the upload, so it counts the file: `{ key, size, type, etag, usage }`.
 * @param {string} key
 * @param {AbortSignal} [signal]
 */
export const confirmUpload = (key, signal) => request('api/uploads/complete', { method: 'POST', body: { key }, signal })

/**
 * One page of the caller's files: `{ files, cursor }`, cursor null on the last page; a file with a
 * preview has its presigned `thumbnailUrl`.
 * @param {string | null} cursor
 * @param {number} [limit]
 */
export function listFiles(cursor, limit) {
  const query = new URLSearchParams()
  if (cursor) query.set('cursor', cursor)
  if (limit) query.set('limit', String(limit))
  const qs = query.toString()
  return request(qs ? `api/files?${qs}` : 'api/files')
}

/** @param {string} key */
export const deleteFile = (key) => request(fileUrl(key), { method: 'DELETE' })

// --- multipart uploads ---------------------------------------------------------------------------

/**
 * A multipart upload as the server created it; `token` proves it to the part, complete and abort calls.
 * @typedef {{key: string, uploadId: string, token: string, size: number, partSize: number,
 *   partCount: number, expiresAt: string}} MultipartUpload
 */

/** @param {MultipartUpload} u @param {string} [tail] */
const multipartPath = (u, tail = '') =>
  `api/multipart/${encodeURIComponent(u.uploadId)}${tail}?key=${encodeURIComponent(u.key)}`
/** @param {MultipartUpload} u */
const tokenHeader = (u) => ({ 'X-Upload-Token': u.token })

/**
 * @param {{name: string, type: string, size: number}} file
 * @param {AbortSignal} [signal]
 * @returns {Promise<MultipartUpload>}
 */
export const createMultipart = ({ name, type, size }, signal) =>
  request('api/multipart', { method: 'POST', body: { name, type, size }, signal })

/**
 * The parts the bucket already holds: `{ parts: [{partNumber, size, etag}] }`.
 * @param {MultipartUpload} u
 * @param {AbortSignal} [signal]
 */
export const listUploadedParts = (u, signal) => request(multipartPath(u, '/parts'), { headers: tokenHeader(u), signal })

/**
 * A URL for part `n`, signed now: `{ url, headers, expiresAt }`.
 * @param {MultipartUpload} u
 * @param {number} n
 * @param {AbortSignal} [signal]
 */
export const signPart = (u, n, signal) => request(multipartPath(u, `/parts/${n}`), { headers: tokenHeader(u), signal })

/**
 * @param {MultipartUpload} u
 * @param {{partNumber: number, etag: string}[]} parts
 * @param {AbortSignal} [signal]
 */
export const completeMultipart = (u, parts, signal) =>
  request(multipartPath(u, '/complete'), { method: 'POST', headers: tokenHeader(u), body: { parts }, signal })

/** @param {MultipartUpload} u */
export const abortMultipart = (u) => request(multipartPath(u), { method: 'DELETE', headers: tokenHeader(u) })

// --- share links ---------------------------------------------------------------------------------

/**
 * A new share link for one of the caller's files: `{ id, url, expiresAt, maxDownloads }`.
 * @param {{key: string, expiresIn: number, maxDownloads?: number | null, password?: string}} share
 */
export const createShare = (share) => request('/api/shares', { method: 'POST', body: share })

/** The caller's share links: `{ shares }`, newest first, with downloads so far and state. */
export const listShares = () => request('/api/shares')

/** @param {string} id */
export const revokeShare = (id) => request(`/api/shares/${encodeURIComponent(id)}`, { method: 'DELETE' })
