// Sends one file straight to the bucket the way its ticket says: a POST policy (FormData: the
// ticket's fields in order, then the file as `file`) or a presigned PUT (the ticket's headers, the
// file as the body). XMLHttpRequest, because fetch cannot report upload progress.
import { networkFailure, parseS3Error, REASONS, s3Refusal, UploadError } from './upload-errors.js'

// Browsers set these themselves and refuse (with a console error) to let a page set them.
const BROWSER_SET_HEADERS = new Set(['content-length', 'host', 'connection'])

/**
 * @param {Blob} file
 * @param {BucketUpload} upload
 */
function body(file, upload) {
  if (upload.method === 'PUT') return file
  const form = new FormData()
  for (const [name, value] of Object.entries(upload.fields ?? {})) form.append(name, value)
  form.append('file', file) // last: S3 ignores fields after the file
  return form
}

/**
 * How to send bytes to the bucket: a ticket's `upload`, or a signed part.
 * @typedef {{method: 'POST' | 'PUT', url: string, fields?: Record<string, string>,
 *   headers?: Record<string, string>}} BucketUpload
 */

/**
 * @param {Blob} file a whole file, or one part of it
 * @param {BucketUpload} upload the ticket's `upload`
 * @param {{expiresAt?: string, onProgress?: (loaded: number, total: number) => void, signal?: AbortSignal}} opts
 * @returns {Promise<XMLHttpRequest>} the finished request (its ETag header is readable where CORS exposes it)
 */
export function sendToBucket(file, upload, { expiresAt, onProgress = () => {}, signal } = {}) {
  return new Promise((resolve, reject) => {
    if (upload.method !== 'POST' && upload.method !== 'PUT') {
      return reject(new UploadError(`This page cannot upload with ${upload.method}`, { retryable: false }))
    }
    if (signal?.aborted) return reject(new UploadError(REASONS.cancelled, { code: 'cancelled' }))
    const xhr = new XMLHttpRequest()
    xhr.open(upload.method, upload.url)
    for (const [name, value] of Object.entries(upload.headers ?? {})) {
      if (!BROWSER_SET_HEADERS.has(name.toLowerCase())) xhr.setRequestHeader(name, value)
    }
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(Math.min(e.loaded, file.size), file.size)
    })
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve(xhr)
      const { code, message } = parseS3Error(xhr.responseText)
      reject(s3Refusal(xhr.status, code, message))
    })
    xhr.addEventListener('error', () => reject(networkFailure(expiresAt)))
    xhr.addEventListener('timeout', () => reject(networkFailure(expiresAt)))
    xhr.addEventListener('abort', () => reject(new UploadError(REASONS.cancelled, { code: 'cancelled' })))
    signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(body(file, upload))
  })
}
