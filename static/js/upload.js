// The simple uploader: one ticket from bucketgate, then one request to the bucket. Every attempt asks
// for a fresh ticket, so a retry after "link expired" works. Limits refused by the server (413/415)
// are final; other API failures may be retried.
import { ApiError, requestTicket } from './api.js'
import { uploadType } from './limits.js'
import { REASONS, UploadError } from './upload-errors.js'
import { sendToBucket } from './transfer.js'

/**
 * The shape every uploader has (issue 4's multipart one too), so the queue can run any of them.
 * @typedef {(file: File, opts: {onProgress: (loaded: number, total: number) => void, signal: AbortSignal})
 *   => Promise<{key: string}>} Uploader
 */

/** @type {Uploader} */
export async function uploadWithTicket(file, { onProgress, signal }) {
  let ticket
  try {
    ticket = await requestTicket({ name: file.name, type: uploadType(file), size: file.size })
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    const final = err.status === 413 || err.status === 415 || err.status === 400 || err.status === 401
    throw new UploadError(err.message, { retryable: !final, code: err.code })
  }
  if (signal.aborted) throw new UploadError(REASONS.cancelled, { code: 'cancelled' })
  await sendToBucket(file, ticket.upload, { expiresAt: ticket.expiresAt, onProgress, signal })
  return { key: ticket.key }
}
