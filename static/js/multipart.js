// The multipart uploader for big files: create the upload on bucketgate, then PUT the parts straight
// to the bucket, a few at a time, each with a URL signed just before it is sent, and complete with
// the parts' ETags. Unfinished uploads are remembered in localStorage (by file name, size and date),
// so choosing the same file again after a reload resumes from what the bucket holds (ListParts).
// Same shape as the simple uploader (see upload.js), so the queue runs it like any other.
import { uploadType } from './limits.js'
import { sendToBucket } from './transfer.js'
import { REASONS, UploadError } from './upload-errors.js'

/** Parts in flight at once: enough to fill a connection, few enough to keep progress honest. */
const PARALLEL_PARTS = 3
/** Attempts per part before the upload fails (a dropped connection, an expired URL, a busy store). */
const PART_ATTEMPTS = 3
const STORAGE_KEY = 'bucketgate.multipart.v1'

const cancelled = () => new UploadError(REASONS.cancelled, { code: 'cancelled' })

// --- remembered uploads -----------------------------------------------------------------------

/** Whose uploads are remembered and resumed (the signed-in user's id); see setUploadOwner. */
let owner = ''

/** Call on sign-in: only that user's unfinished uploads are resumed or listed. */
export function setUploadOwner(id) {
  owner = id
}

/** Identifies "the same file" of the same user across reloads; the File itself does not survive one. */
export function fileFingerprint(file) {
  return [owner, file.name, file.size, file.lastModified, file.type].join('\n')
}

function loadAll() {
  try {
    const all = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}')
    return all && typeof all === 'object' ? all : {}
  } catch {
    return {}
  }
}

function saveAll(all) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(all))
  } catch {
    // Storage full or disabled: the upload still works, it just cannot resume after a reload.
  }
}

function remember(fingerprint, upload) {
  saveAll({ ...loadAll(), [fingerprint]: { ...upload, owner, name: fingerprint.split('\n')[1] } })
}

function forget(fingerprint) {
  const all = loadAll()
  delete all[fingerprint]
  saveAll(all)
}

/** The owner's unfinished uploads this browser knows about (not expired): `[{name, size, expiresAt}]`. */
export function unfinishedUploads(now = Date.now()) {
  return Object.values(loadAll())
    .filter((u) => u.owner === owner && Date.parse(u.expiresAt) > now)
    .map((u) => ({ name: u.name, size: u.size, expiresAt: u.expiresAt }))
}

// --- bucketgate API ---------------------------------------------------------------------------

async function api(path, { method = 'GET', token, body, signal } = {}) {
  const headers = { Accept: 'application/json' }
  if (token) headers['X-Upload-Token'] = token
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  let res
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    })
  } catch {
    if (signal?.aborted) throw cancelled()
    throw new UploadError('Could not reach bucketgate; check the connection and try again', { code: 'network' })
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null)
  if (!res.ok) {
    const final = [400, 401, 403, 413, 415].includes(res.status)
    const message = data?.error?.message ?? `bucketgate answered ${res.status}`
    throw new UploadError(message, { retryable: !final, code: data?.error?.code ?? `http_${res.status}` })
  }
  return data
}

const uploadPath = (u, tail = '') =>
  `/api/multipart/${encodeURIComponent(u.uploadId)}${tail}?key=${encodeURIComponent(u.key)}`

// --- the bucket -------------------------------------------------------------------------------

/** PUTs one part with its signed URL (transfer.js translates refusals); resolves with its ETag. */
async function putPart(blob, part, { onProgress, signal }) {
  const upload = { method: 'PUT', url: part.url, headers: part.headers }
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

// --- the uploader -----------------------------------------------------------------------------

/** The remembered upload for this file if the bucket still has it, with the parts already there. */
async function resume(fingerprint, signal) {
  const saved = loadAll()[fingerprint]
  if (!saved || Date.parse(saved.expiresAt) <= Date.now()) return null
  try {
    const { parts } = await api(uploadPath(saved, '/parts'), { token: saved.token, signal })
    return { upload: saved, held: new Map(parts.map((p) => [p.partNumber, p])) }
  } catch (err) {
    // A dropped connection keeps the upload for the next try; only "gone" starts over.
    if (signal.aborted || (err.code !== 'no_such_upload' && err.retryable)) throw err
    forget(fingerprint) // finished, aborted, expired or another user's
    return null
  }
}

/**
 * Uploads `file` in parts. On failure the upload stays remembered (and its parts in the bucket),
 * so trying again, now or after a reload, sends only the missing parts; cancelling aborts it.
 * @param {File} file
 * @param {{onProgress?: (loaded: number, total: number) => void, signal?: AbortSignal, type?: string}} opts
 * @returns {Promise<{key: string}>}
 */
export async function uploadMultipart(
  file,
  { onProgress = () => {}, signal = new AbortController().signal, type } = {},
) {
  const fingerprint = fileFingerprint(file)
  let upload
  let held = new Map()
  const resumed = await resume(fingerprint, signal)
  if (resumed) {
    ;({ upload, held } = resumed)
  } else {
    const declared = type ?? uploadType(file)
    upload = await api('/api/multipart', {
      method: 'POST',
      body: { name: file.name, type: declared, size: file.size },
      signal,
    })
    remember(fingerprint, upload)
  }

  const etags = new Map()
  const loaded = new Map()
  for (const [n, part] of held) {
    const size = n < upload.partCount ? upload.partSize : upload.size - upload.partSize * (upload.partCount - 1)
    // A part is kept only at its planned size (the server checks again at completion).
    if (part.size === size) {
      etags.set(n, part.etag)
      loaded.set(n, size)
    }
  }
  const report = () =>
    onProgress(
      [...loaded.values()].reduce((a, b) => a + b, 0),
      file.size,
    )
  report()

  const todo = []
  for (let n = 1; n <= upload.partCount; n++) if (!etags.has(n)) todo.push(n)
  // Stops every part when one fails for good, or when the person cancels.
  const stop = new AbortController()
  signal.addEventListener('abort', () => stop.abort(), { once: true })

  const sendPart = async (n) => {
    const blob = file.slice((n - 1) * upload.partSize, Math.min(file.size, n * upload.partSize))
    for (let attempt = 1; ; attempt++) {
      try {
        // Signed just now: part URLs live minutes, the whole upload may take hours.
        const part = await api(uploadPath(upload, `/parts/${n}`), { token: upload.token, signal: stop.signal })
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
        if (stop.signal.aborted || !err.retryable || attempt >= PART_ATTEMPTS) throw err
        await new Promise((r) => setTimeout(r, 500 * 2 ** attempt))
      }
    }
  }

  try {
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL_PARTS, todo.length) }, async () => {
        while (todo.length) await sendPart(todo.shift())
      }),
    )
    const parts = [...etags].sort((a, b) => a[0] - b[0]).map(([partNumber, etag]) => ({ partNumber, etag }))
    await api(uploadPath(upload, '/complete'), { method: 'POST', token: upload.token, body: { parts }, signal })
  } catch (err) {
    stop.abort()
    if (signal.aborted) {
      forget(fingerprint)
      // Free the parts already stored; the lifecycle rule catches it if this does not get through.
      await api(uploadPath(upload), { method: 'DELETE', token: upload.token }).catch(() => {})
      throw cancelled()
    }
    throw err
  }
  forget(fingerprint)
  return { key: upload.key }
}
