// The upload queue: every file becomes a job that waits its turn, runs its uploader with progress
// and a cancel signal, and ends done, failed (with a reason) or cancelled. At most `concurrency`
// run at once. No DOM: the page draws jobs from onChange.
import { REASONS } from './upload-errors.js'

/** Speed is re-measured over windows of at least this long, in ms, so it does not flicker. */
const SPEED_WINDOW_MS = 500

let nextId = 1

/**
 * @param {{concurrency: number, onChange: (job: object) => void, onSettled?: (job: object) => void}} opts
 *   onChange after every change of a job; onSettled when a job ends (done, failed or cancelled)
 */
export function createUploadQueue({ concurrency, onChange, onSettled = () => {} }) {
  const waiting = []
  let running = 0

  function pump() {
    while (running < concurrency && waiting.length) start(waiting.shift())
  }

  function settle(job, state, fields = {}) {
    Object.assign(job, { state, controller: null }, fields)
    onChange(job)
    onSettled(job)
  }

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
    let window = { at: job.startedAt, loaded: 0 }
    onChange(job)
    const onProgress = (loaded, total) => {
      const now = performance.now()
      if (now - window.at >= SPEED_WINDOW_MS) {
        const current = ((loaded - window.loaded) * 1000) / (now - window.at)
        job.speed = job.speed ? job.speed * 0.5 + current * 0.5 : current
        window = { at: now, loaded }
      }
      Object.assign(job, { loaded, total })
      onChange(job)
    }
    let outcome
    try {
      const result = await job.uploader(job.file, { onProgress, signal: controller.signal })
      const seconds = Math.max((performance.now() - job.startedAt) / 1000, 0.001)
      outcome = ['done', { result, loaded: job.total, speed: job.total / seconds }]
    } catch (err) {
      if (controller.signal.aborted) outcome = ['cancelled', { reason: REASONS.cancelled, retryable: true }]
      // Any uploader's error with a `reason` (UploadError, multipart's) is shown as its words.
      else if (typeof err?.reason === 'string')
        outcome = ['failed', { reason: err.reason, retryable: err.retryable !== false }]
      else outcome = ['failed', { reason: `Upload failed: ${err?.message ?? err}`, retryable: true }]
    }
    running-- // before settling, so `active` in onSettled no longer counts this job
    settle(job, ...outcome)
    pump()
  }

  return {
    /**
     * Queues `file` for `uploader` (see upload.js for the shape). With `problem`, the job fails at
     * once with that reason and is never sent (the page's own limit check).
     */
    add(file, uploader, problem = null) {
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
    /** Cancels a waiting job at once, or aborts a running one (its uploader sees the signal). */
    cancel(job) {
      const at = waiting.indexOf(job)
      if (at >= 0) {
        waiting.splice(at, 1)
        settle(job, 'cancelled', { reason: REASONS.cancelled, retryable: true })
      } else {
        job.controller?.abort()
      }
    },
    /** Puts a failed or cancelled job back in line; its uploader asks for a fresh ticket. */
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
