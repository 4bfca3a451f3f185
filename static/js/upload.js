// The simple uploader: one ticket from bucketgate, one request to the bucket, then a confirm so the
// server counts the file against the quota. Every attempt asks for a fresh ticket, so a retry after
// "link expired" works. Whether a refusal is final is the API client's rule (api.js); its words are
// upload-errors.js's.
import { ApiError, confirmUpload, requestTicket } from './api.js'
import { uploadType } from './limits.js'
import { apiRefusal, REASONS, UploadError } from './upload-errors.js'
import { sendToBucket } from './transfer.js'

/**
 * The shape every uploader has (the multipart one too), so the queue can run any of them. It fails
 * with an error carrying `reason` (shown as is) and `retryable`; `preview` is the preview stored
 * beside the file, when one was (preview-upload.js).
 * @typedef {(file: File, opts: {onProgress: (loaded: number, total: number) => void, signal: AbortSignal})
 *   => Promise<{key: string, preview?: Blob}>} Uploader
 */

/** @type {Uploader} */
export async function uploadWithTicket(file, { onProgress, signal }) {
  let ticket
  try {
    ticket = await requestTicket({ name: file.name, type: uploadType(file), size: file.size }, signal)
  } catch (err) {
    if (signal.aborted) throw new UploadError(REASONS.cancelled, { code: 'cancelled' })
    throw err instanceof ApiError ? apiRefusal(err) : err
  }
  if (signal.aborted) throw new UploadError(REASONS.cancelled, { code: 'cancelled' })
  await sendToBucket(file, ticket.upload, { expiresAt: ticket.expiresAt, onProgress, signal })
  // The file is stored either way: a confirm that fails is counted later by the server itself.
  await confirmUpload(ticket.key).catch(() => {})
  return { key: ticket.key }
}
