// The upload queue: every file becomes a job that waits its turn, runs its uploader with progress
// and a cancel signal, and ends done, failed (with a reason) or cancelled. At most `concurrency`
// run at once. No DOM: the page draws jobs from onChange.
import { REASONS } from './upload-errors.js'

/** Speed is re-measured over windows of at least this long, in ms, so it does not flicker. */
const SPEED_WINDOW_MS = 500

let nextId = 1

/**
 * One file's upload. `reason` says why it failed or was cancelled; `retryable` whether Retry can help.
 * @typedef {{id: number, file: File, uploader: import('./upload.js').Uploader,
 *   state: 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled', loaded: number, total: number,
 *   speed: number, reason: string, retryable: boolean, result: {key: string, preview?: Blob} | null,
 *   controller: AbortController | null, startedAt?: number}} UploadJob
 */

/** @typedef {{at: number, loaded: number}} ProgressSample */

/**
 * @param {{concurrency: number, onChange: (job: UploadJob) => void, onSettled?: (job: UploadJob) => void}} opts
 *   onChange after every change of a job; onSettled when a job ends (done, failed or cancelled)
 */
export function createUploadQueue({ concurrency, onChange, onSettled = () => {} }) {
  /** @type {UploadJob[]} */
  const waiting = []
  let running = 0
  /** Running job → its run, so cancelAll can wait for uploaders to clean up after themselves. @type {Map<UploadJob, Promise<void>>} */
  const inFlight = new Map()

  function pump() {
    while (running < concurrency && waiting.length) {
      const job = /** @type {UploadJob} */ (waiting.shift())
      inFlight.set(
        job,
        start(job).finally(() => inFlight.delete(job)),
      )
    }
  }

  /**
   * @param {UploadJob} job
   * @param {UploadJob['state']} state
   * @param {Partial<UploadJob>} [fields]
   */
  function settle(job, state, fields = {}) {
    Object.assign(job, { state, controller: null }, fields)
    onChange(job)
    onSettled(job)
  }

  /** @param {UploadJob} job */
  async function start(job) {
    running++
    const controller = new AbortController()
    Object.assign(job, {
      state: 'uploading',
      loaded: 0,
      speed: 0,
      reason: '',
      controller,
      startedAt: performance.now(),
    })
    // Speed counts from the first report, not from zero: a resumed upload starts part-way.
    /** @type {ProgressSample | null} */
    let first = null
    /** @type {ProgressSample | null} */
    let sample = null
    onChange(job)
    /** @param {number} loaded @param {number} total */
    const onProgress = (loaded, total) => {
      const now = performance.now()
      first ??= { at: now, loaded }
      sample ??= first
      if (sample && now - sample.at >= SPEED_WINDOW_MS) {
        const current = ((loaded - sample.loaded) * 1000) / (now - sample.at)
        job.speed = job.speed ? job.speed * 0.5 + current * 0.5 : current
        sample = { at: now, loaded }
      }
      Object.assign(job, { loaded, total })
      onChange(job)
    }
    const averageSpeed = () => {
      const now = performance.now()
      // From the first report when it left bytes to send and time to send them; else from the start.
      /** @type {ProgressSample | null} */
      const seen = first
      const usable = seen !== null && seen.loaded < job.total && now - seen.at >= SPEED_WINDOW_MS
      const from = usable ? seen : { at: job.startedAt ?? now, loaded: 0 }
      return ((job.total - from.loaded) * 1000) / Math.max(now - from.at, 1)
    }
    /** @type {UploadJob['state']} */
    let state
    /** @type {Partial<UploadJob>} */
    let fields
    try {
      const result = await job.uploader(job.file, { onProgress, signal: controller.signal })
      ;[state, fields] = ['done', { result, loaded: job.total, speed: averageSpeed() }]
    } catch (/** @type {any} */ err) {
      if (controller.signal.aborted) [state, fields] = ['cancelled', { reason: REASONS.cancelled, retryable: true }]
      // An uploader's error with a `reason` (an UploadError) is shown as its words.
      else if (typeof err?.reason === 'string')
        [state, fields] = ['failed', { reason: err.reason, retryable: err.retryable !== false }]
      else [state, fields] = ['failed', { reason: `Upload failed: ${err?.message ?? err}`, retryable: true }]
    }
    running-- // before settling, so `active` in onSettled no longer counts this job
    settle(job, state, fields)
    pump()
  }

  return {
    /**
     * Queues `file` for `uploader` (see upload.js for the shape). With `problem`, the job fails at
     * once with that reason and is never sent (the page's own limit check).
     * @param {File} file
     * @param {import('./upload.js').Uploader} uploader
     * @param {string | null} [problem]
     */
    add(file, uploader, problem = null) {
      /** @type {UploadJob} */
      const job = {
        id: nextId++,
        file,
        uploader,
        state: 'queued',
        loaded: 0,
        total: file.size,
        speed: 0,
        reason: '',
        retryable: false,
        result: null,
        controller: null,
      }
      if (problem) {
        settle(job, 'failed', { reason: problem, retryable: false })
        return job
      }
      waiting.push(job)
      onChange(job)
      pump()
      return job
    },
    /** Cancels a waiting job at once, or aborts a running one (its uploader sees the signal). @param {UploadJob} job */
    cancel(job) {
      const at = waiting.indexOf(job)
      if (at >= 0) {
        waiting.splice(at, 1)
        settle(job, 'cancelled', { reason: REASONS.cancelled, retryable: true })
      } else {
        job.controller?.abort()
      }
    },
    /**
     * Cancels every job; resolves once the running ones have ended, i.e. after their uploaders'
     * own clean-up (multipart.js aborts the upload on the server, which needs the session still).
     */
    cancelAll() {
      for (const job of [...waiting]) this.cancel(job)
      const runs = [...inFlight.values()]
      for (const job of inFlight.keys()) job.controller?.abort()
      return Promise.allSettled(runs)
    },
    /** Puts a failed or cancelled job back in line; its uploader asks for a fresh ticket. @param {UploadJob} job */
    retry(job) {
      if (job.state !== 'failed' && job.state !== 'cancelled') return
      Object.assign(job, { state: 'queued', loaded: 0, speed: 0, reason: '' })
      waiting.push(job)
      onChange(job)
      pump()
    },
    /** Jobs waiting or running. */
    get active() {
      return waiting.length + running
    },
  }
}
