// The upload tray: the queue of jobs with their rows, one overall progress bar with count and time
// left, the summary line ("2 uploading, 3 queued"), Remove and Clear finished, and forgetting every
// job on sign-out. The tray sits over the page's bottom corner (a bottom sheet on a phone), so the
// grid never moves while uploading; it opens to the rows on wide screens and when something failed.
// Which uploader sends a file, and what happens to a finished one, is the page's business (main.js).
import { createUploadList } from './upload-list.js'
import { createUploadQueue } from './upload-queue.js'
import { describeTotals, uploadTotals } from './upload-totals.js'

/** @typedef {import('./upload-queue.js').UploadJob} UploadJob */

/** Uploads in flight at once; each asks for its ticket just before sending, as tickets expire. */
const PARALLEL_UPLOADS = 3

/** Screens at least this wide show the tray open at first; narrower ones keep it to one line. */
const OPEN_TRAY_MEDIA = '(min-width: 40rem)'

/**
 * The tray's parts (index.html).
 * @typedef {{tray: HTMLElement, toggle: HTMLButtonElement, body: HTMLElement, progress: HTMLProgressElement,
 *   totals: HTMLElement}} TrayElements
 */

/**
 * @param {{tray: TrayElements, list: HTMLElement, template: HTMLTemplateElement, head: HTMLElement, summary: HTMLElement,
 *   clearFinished: HTMLButtonElement, announce: HTMLElement, fileInput: HTMLElement,
 *   onUploaded: (job: UploadJob) => void, onAllSettled: (failed: number) => void, onFailuresCleared: () => void}} opts
 *   onAllSettled: every job has ended, `failed` of them failed; onFailuresCleared: the failed rows
 *   that outcome counted have all been removed (Remove, Clear finished), so it no longer holds
 */
export function createUploadsPanel(opts) {
  /** The jobs shown, oldest first. @type {UploadJob[]} */
  const jobs = []
  /** Jobs dismissed or left behind by signing out: whatever they still report is ignored. */
  const forgotten = new WeakSet()
  /** The state each job had when the summary was last counted. */
  const stateShown = new WeakMap()
  /** Whether the last outcome reported counted failed rows that are still shown. */
  let failuresReported = false
  /** Open or closed as the person last chose; null until they do. @type {boolean | null} */
  let chosenOpen = null
  /** A redraw of the totals is scheduled for the next frame (progress comes many times a second). */
  let totalsPending = false
  const { tray } = opts

  /** @param {boolean} open */
  function setTrayOpen(open) {
    tray.body.hidden = !open
    tray.toggle.setAttribute('aria-expanded', String(open))
    tray.tray.classList.toggle('is-open', open)
  }
  setTrayOpen(matchMedia(OPEN_TRAY_MEDIA).matches)
  tray.toggle.addEventListener('click', () => {
    const open = tray.body.hidden === true
    chosenOpen = open
    setTrayOpen(open)
  })

  function drawTotals() {
    totalsPending = false
    const totals = uploadTotals(jobs)
    tray.progress.value = totals.total ? totals.loaded / totals.total : totals.ended === totals.count ? 1 : 0
    tray.totals.textContent = describeTotals(totals)
    // The page keeps room below the grid for the tray, so it never covers the last cards.
    document.body.style.setProperty('--tray-height', `${tray.tray.hidden ? 0 : tray.tray.offsetHeight}px`)
  }
  function scheduleTotals() {
    if (totalsPending) return
    totalsPending = true
    requestAnimationFrame(drawTotals)
  }

  const rows = createUploadList({
    list: opts.list,
    template: opts.template,
    onCancel: (job) => queue.cancel(job),
    onRetry: (job) => queue.retry(job),
    onDismiss: (job) => {
      forget([job])
      opts.fileInput.focus()
    },
  })

  const queue = createUploadQueue({
    concurrency: PARALLEL_UPLOADS,
    onChange: (job) => {
      if (forgotten.has(job)) return
      if (!jobs.includes(job)) jobs.push(job)
      rows.render(job)
      scheduleTotals()
      // Progress reports come many times a second; the counts change only with a state.
      if (stateShown.get(job) !== job.state) {
        stateShown.set(job, job.state)
        updateSummary()
      }
    },
    onSettled: (job) => {
      // A job forgotten by signing out must never add its file to the next user's grid.
      if (forgotten.has(job)) return
      if (job.state === 'done') {
        opts.onUploaded(job)
        opts.announce.textContent = `${job.file.name} uploaded.`
      } else if (job.state === 'failed') {
        opts.announce.textContent = `${job.file.name} failed: ${job.reason}`
      }
      if (queue.active === 0) {
        const failed = jobs.filter((j) => j.state === 'failed').length
        failuresReported = failed > 0
        // The reasons are in the rows: show them, unless the person closed the tray themselves.
        if (failed && chosenOpen !== false) setTrayOpen(true)
        opts.onAllSettled(failed)
      }
    },
  })

  function updateSummary() {
    const counts = new Map()
    for (const job of jobs) counts.set(job.state, (counts.get(job.state) ?? 0) + 1)
    const order = ['uploading', 'queued', 'done', 'failed', 'cancelled']
    opts.head.hidden = jobs.length === 0
    tray.tray.hidden = jobs.length === 0
    document.body.classList.toggle('has-tray', jobs.length > 0)
    opts.summary.textContent = order
      .filter((state) => counts.has(state))
      .map((state) => `${counts.get(state)} ${state}`)
      .join(', ')
    opts.clearFinished.hidden = queue.active === jobs.length
  }

  /** @param {UploadJob[]} gone */
  function forget(gone) {
    for (const job of gone) {
      forgotten.add(job)
      rows.remove(job)
      jobs.splice(jobs.indexOf(job), 1)
    }
    updateSummary()
    drawTotals()
    if (failuresReported && !jobs.some((j) => j.state === 'failed')) {
      failuresReported = false
      opts.onFailuresCleared()
    }
  }

  opts.clearFinished.addEventListener('click', () => {
    forget(jobs.filter((j) => j.state !== 'queued' && j.state !== 'uploading'))
    opts.fileInput.focus()
  })

  return {
    /** Queues `file` for `uploader`; with `problem` it fails at once with that reason, unsent. */
    /**
     * @param {File} file
     * @param {import('./upload.js').Uploader} uploader
     * @param {string | null} [problem]
     */
    add(file, uploader, problem = null) {
      queue.add(file, uploader, problem)
    },
    /** Signing out: cancel whatever runs and clear the panel; resolves once the uploaders have stopped. */
    forgetAll() {
      forget([...jobs])
      return queue.cancelAll()
    },
  }
}
