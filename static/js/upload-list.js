// The upload rows: one per job, cloned from the <template> in index.html, redrawn on every change.
// File names and reasons reach the DOM only through textContent and attributes.
import { humanSize, humanSpeed } from './format.js'

const ACTIONS = {
  queued: ['cancel'],
  uploading: ['cancel'],
  done: ['dismiss'],
  failed: ['retry', 'dismiss'],
  cancelled: ['retry', 'dismiss'],
}

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
      return job.speed ? `Done · ${humanSpeed(job.speed)}` : 'Done'
    case 'failed':
      return `Failed: ${job.reason}`
    default:
      return job.reason || 'Cancelled'
  }
}

/**
 * @param {{list: HTMLElement, template: HTMLTemplateElement,
 *   onCancel: (job) => void, onRetry: (job) => void, onDismiss: (job) => void}} opts
 */
export function createUploadList({ list, template, onCancel, onRetry, onDismiss }) {
  const rows = new Map()

  function rowFor(job) {
    let row = rows.get(job.id)
    if (row) return row
    row = template.content.firstElementChild.cloneNode(true)
    row.dataset.name = job.file.name
    row.querySelector('.upload-name').textContent = job.file.name
    row.querySelector('.upload-name').title = job.file.name
    row.querySelector('.upload-size').textContent = humanSize(job.file.size)
    row.querySelector('progress').setAttribute('aria-label', `Upload of ${job.file.name}`)
    const handlers = { cancel: onCancel, retry: onRetry, dismiss: onDismiss }
    for (const [name, handler] of Object.entries(handlers)) {
      const button = row.querySelector(`.${name}`)
      button.setAttribute('aria-label', `${button.textContent} ${job.file.name}`)
      button.addEventListener('click', () => handler(job))
    }
    rows.set(job.id, row)
    list.append(row)
    return row
  }

  return {
    render(job) {
      const row = rowFor(job)
      const hadFocus = row.contains(document.activeElement)
      row.dataset.state = job.state
      const progress = row.querySelector('progress')
      progress.value = job.state === 'done' ? 1 : job.loaded / Math.max(job.total, 1)
      progress.hidden = job.state === 'failed' || job.state === 'cancelled'
      row.querySelector('.upload-state').textContent = stateText(job)
      const actions = ACTIONS[job.state].filter((a) => a !== 'retry' || job.retryable)
      for (const name of ['cancel', 'retry', 'dismiss']) row.querySelector(`.${name}`).hidden = !actions.includes(name)
      // A keyboard user whose button just disappeared stays on this row's next action.
      if (hadFocus && !row.contains(document.activeElement)) row.querySelector(`.${actions[0]}`)?.focus()
    },
    remove(job) {
      rows.get(job.id)?.remove()
      rows.delete(job.id)
    },
    /** Removes every finished row (done, failed, cancelled); returns how many. */
    clearFinished(jobs) {
      let count = 0
      for (const job of jobs) {
        if (job.state === 'done' || job.state === 'failed' || job.state === 'cancelled') {
          this.remove(job)
          count++
        }
      }
      return count
    },
  }
}
