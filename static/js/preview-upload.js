// Uploads a preview beside each original: the preview is made while the original is on its way,
// then sent with its own ticket once the original is stored (the server signs a preview only for an
// original that exists). A preview that cannot be made or sent never fails the upload itself.
import { requestPreviewTicket } from './api.js'
import { makePreview } from './preview-image.js'
import { sendToBucket } from './transfer.js'

/**
 * `uploader`, followed by its file's preview; the result carries the preview when it was stored.
 * @param {import('./upload.js').Uploader} uploader
 * @param {number} maxBytes the server's limit for a preview (limits.thumbnailMaxBytes)
 * @returns {import('./upload.js').Uploader}
 */
export function withPreview(uploader, maxBytes) {
  return async function uploadWithPreview(file, opts) {
    const making = makePreview(file, maxBytes) // never rejects
    const result = await uploader(file, opts)
    const preview = await making
    if (!preview || opts.signal.aborted) return result
    try {
      const ticket = await requestPreviewTicket({ key: result.key, size: preview.size }, opts.signal)
      await sendToBucket(preview, ticket.upload, { expiresAt: ticket.expiresAt, signal: opts.signal })
      return { ...result, preview }
    } catch {
      return result // the file is stored; its card shows a type icon instead
    }
  }
}
