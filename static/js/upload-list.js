// The upload rows: one per job, cloned from the <template> in index.html, redrawn on every change.
// File names and reasons reach the DOM only through textContent and attributes.
import { cloneTemplate, part } from './dom.js'
import { humanSize, humanSpeed } from './format.js'

/** @typedef {import('./upload-queue.js').UploadJob} UploadJob */

/** Below this many bytes an upload is over before its speed means anything. */
const SPEED_MIN_BYTES = 64 * 1024

/** @type {Record<UploadJob['state'], string[]>} */
const ACTIONS = {
  queued: ['cancel'],
  uploading: ['cancel'],
  done: ['dismiss'],
  failed: ['retry', 'dismiss'],
  cancelled: ['retry', 'dismiss'],
}

/** @param {UploadJob} job */
function stateText(job) {
  switch (job.state) {
    case 'queued':
      return 'Queued'
    case 'uploading': {
      if (!job.loaded) return 'Starting…'
      const percent = Math.floor((job.loaded / Math.max(job.total, 1)) * 100)
      return job.speed ? `Uploading ${percent}% · ${humanSpeed(job.speed)}` : `Uploading ${percent}%`
    }
    case 'done':
      return job.speed && job.total >= SPEED_MIN_BYTES ? `Done · ${humanSpeed(job.speed)}` : 'Done'
    case 'failed':
      return `Failed: ${job.reason}`
    default:
      return job.reason || 'Cancelled'
  }
}

/**
 * @param {{list: HTMLElement, template: HTMLTemplateElement,
 *   onCancel: (job: UploadJob) => void, onRetry: (job: UploadJob) => void, onDismiss: (job: UploadJob) => void}} opts
 */
export function createUploadList({ list, template, onCancel, onRetry, onDismiss }) {
  /** @type {Map<number, HTMLElement>} */
  const rows = new Map()
  /** @param {HTMLElement} row @param {string} name */
  const button = (row, name) => part(row, `.${name}`, HTMLButtonElement)

  /** @param {UploadJob} job */
  function rowFor(job) {
    let row = rows.get(job.id)
    if (row) return row
    row = cloneTemplate(template)
    row.dataset.name = job.file.name
    const name = part(row, '.upload-name', HTMLElement)
    name.textContent = job.file.name
    name.title = job.file.name
    part(row, '.upload-size', HTMLElement).textContent = humanSize(job.file.size)
    part(row, 'progress', HTMLProgressElement).setAttribute('aria-label', `Upload of ${job.file.name}`)
    const handlers = { cancel: onCancel, retry: onRetry, dismiss: onDismiss }
    for (const [action, handler] of Object.entries(handlers)) {
      const actionButton = button(row, action)
      actionButton.setAttribute('aria-label', `${actionButton.textContent} ${job.file.name}`)
      actionButton.addEventListener('click', () => handler(job))
    }
    rows.set(job.id, row)
    list.append(row)
    return row
  }

  return {
    /** @param {UploadJob} job */
    render(job) {
      const row = rowFor(job)
      const hadFocus = row.contains(document.activeElement)
      row.dataset.state = job.state
      const progress = part(row, 'progress', HTMLProgressElement)
      progress.value = job.state === 'done' ? 1 : job.loaded / Math.max(job.total, 1)
      progress.hidden = job.state === 'failed' || job.state === 'cancelled'
      part(row, '.upload-state', HTMLElement).textContent = stateText(job)
      const actions = ACTIONS[job.state].filter((a) => a !== 'retry' || job.retryable)
      for (const name of ['cancel', 'retry', 'dismiss']) button(row, name).hidden = !actions.includes(name)
      // A keyboard user whose button just disappeared stays on this row's next action.
      if (hadFocus && !row.contains(document.activeElement) && actions[0]) button(row, actions[0]).focus()
    },
    /** @param {UploadJob} job */
    remove(job) {
      rows.get(job.id)?.remove()
      rows.delete(job.id)
    },
  }
}
