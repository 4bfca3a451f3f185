// The multipart uploader for big files: create the upload on bucketgate, then PUT the parts straight
// to the bucket, a few at a time, each with a URL signed just before it is sent, and complete with
// the parts' ETags. An unfinished upload stays remembered (upload-memory.js), so choosing the same
// file again, now or after a reload, sends only the parts the bucket does not hold yet (ListParts).
// Same shape as the simple uploader (upload.js), so the queue runs it like any other.
import * as api from './api.js'
import { uploadType } from './limits.js'
import { completedParts, keptParts, missingParts, partRange } from './multipart-plan.js'
import { sendToBucket } from './transfer.js'
import { apiRefusal, REASONS, UploadError } from './upload-errors.js'
import { uploadMemory } from './upload-memory.js'

/** Parts in flight at once: enough to fill a connection, few enough to keep progress honest. */
const PARALLEL_PARTS = 3
/** Attempts per part before the upload fails (a dropped connection, an expired URL, a busy store). */
const PART_ATTEMPTS = 3

const cancelled = () => new UploadError(REASONS.cancelled, { code: 'cancelled' })

/** An API failure in the words the upload row shows; anything else (a bucket refusal) as it is. */
const asUploadError = (/** @type {any} */ err) => (err instanceof api.ApiError ? apiRefusal(err) : err)

/**
 * PUTs one part with its signed URL (transfer.js translates refusals); resolves with its ETag.
 * @param {Blob} blob
 * @param {{url: string, headers: Record<string, string>, expiresAt: string}} part
 * @param {{onProgress: (loaded: number) => void, signal: AbortSignal}} opts
 */
async function putPart(blob, part, { onProgress, signal }) {
  const upload = { method: /** @type {const} */ ('PUT'), url: part.url, headers: part.headers }
  const xhr = await sendToBucket(blob, upload, { expiresAt: part.expiresAt, onProgress, signal })
  const etag = xhr.getResponseHeader('ETag')
  if (!etag) {
    // Only the bucket's CORS can hide it (ExposeHeaders); `npm run doctor` says so too.
    throw new UploadError('The bucket does not let the page read ETags (CORS), so big files cannot finish', {
      retryable: false,
      code: 'no_etag',
    })
  }
  return etag
}

/**
 * @param {ReturnType<typeof import('./upload-memory.js').createUploadMemory>} memory
 * @returns {import('./upload.js').Uploader}
 */
export function createMultipartUploader(memory) {
  /**
   * The remembered upload for this file if the bucket still has it, with the parts kept from it.
   * @param {string} fingerprint
   * @param {AbortSignal} signal
   */
  async function resume(fingerprint, signal) {
    const saved = memory.recall(fingerprint)
    if (!saved) return null
    try {
      const { parts } = await api.listUploadedParts(saved, signal)
      return { upload: saved, kept: keptParts(saved, parts) }
    } catch (err) {
      // A dropped connection keeps the upload for the next try; only "gone" starts over.
      if (signal.aborted || (err instanceof api.ApiError && err.retryable && err.code !== 'no_such_upload')) throw err
      memory.forget(fingerprint) // finished, aborted, expired or another user's
      return null
    }
  }

  /**
   * Uploads `file` in parts. On failure the upload stays remembered (and its parts in the bucket);
   * cancelling aborts it on the server.
   * @param {File} file
   * @param {{onProgress?: (loaded: number, total: number) => void, signal?: AbortSignal}} [opts]
   */
  async function uploadMultipart(file, { onProgress = () => {}, signal = new AbortController().signal } = {}) {
    const fingerprint = memory.fingerprint(file)
    /** @type {import('./api.js').MultipartUpload} */
    let upload
    /** partNumber → ETag of every part the bucket holds */
    let etags = new Map()
    try {
      const resumed = await resume(fingerprint, signal)
      if (resumed) {
        ;({ upload, kept: etags } = resumed)
      } else {
        upload = await api.createMultipart({ name: file.name, type: uploadType(file), size: file.size }, signal)
        memory.remember(fingerprint, upload)
      }
    } catch (err) {
      if (signal.aborted) throw cancelled()
      throw asUploadError(err)
    }

    /** partNumber → bytes of it the bucket has (or is being sent) */
    const loaded = new Map()
    for (const n of etags.keys()) {
      const [start, end] = partRange(upload, n)
      loaded.set(n, end - start)
    }
    const report = () =>
      onProgress(
        [...loaded.values()].reduce((a, b) => a + b, 0),
        file.size,
      )
    report()

    const todo = missingParts(upload, etags)
    // Stops every part when one fails for good, or when the person cancels.
    const stop = new AbortController()
    // A cancel that came while the upload was being created or looked up has already fired.
    if (signal.aborted) stop.abort()
    else signal.addEventListener('abort', () => stop.abort(), { once: true })

    /** @param {number} n */
    const sendPart = async (n) => {
      const blob = file.slice(...partRange(upload, n))
      for (let attempt = 1; ; attempt++) {
        try {
          // Signed just now: part URLs live minutes, the whole upload may take hours.
          const part = await api.signPart(upload, n, stop.signal)
          const etag = await putPart(blob, part, {
            signal: stop.signal,
            onProgress: (bytes) => {
              loaded.set(n, bytes)
              report()
            },
          })
          etags.set(n, etag)
          loaded.set(n, blob.size)
          report()
          return
        } catch (err) {
          loaded.set(n, 0)
          report()
          const failure = asUploadError(err)
          if (stop.signal.aborted || !failure?.retryable || attempt >= PART_ATTEMPTS) throw failure
          await new Promise((r) => setTimeout(r, 500 * 2 ** attempt))
        }
      }
    }

    try {
      await Promise.all(
        Array.from({ length: Math.min(PARALLEL_PARTS, todo.length) }, async () => {
          for (let n = todo.shift(); n !== undefined; n = todo.shift()) await sendPart(n)
        }),
      )
      await api.completeMultipart(upload, completedParts(etags), signal).catch((err) => {
        throw asUploadError(err)
      })
    } catch (err) {
      stop.abort()
      if (signal.aborted) {
        memory.forget(fingerprint)
        // Free the parts already stored; the lifecycle rule catches it if this does not get through.
        await api.abortMultipart(upload).catch(() => {})
        throw cancelled()
      }
      throw err
    }
    memory.forget(fingerprint)
    return { key: upload.key }
  }

  return uploadMultipart
}

/** The page's multipart uploader, remembering unfinished uploads in this browser. */
export const uploadMultipart = createMultipartUploader(uploadMemory)
