// One line for all uploads at once, for the collapsed upload tray: how many have ended, the bytes
// sent of all, and the time left at the current combined speed. Pure: no DOM, no network.
import { humanDuration } from './format.js'

/** @typedef {import('./upload-queue.js').UploadJob} UploadJob */

/**
 * @param {UploadJob[]} jobs
 * @returns {{count: number, done: number, ended: number, failed: number, active: number, loaded: number,
 *   total: number, secondsLeft: number | null}} secondsLeft null while no running upload has a speed yet
 */
export function uploadTotals(jobs) {
  let [done, ended, failed, active, loaded, total, speed] = [0, 0, 0, 0, 0, 0, 0]
  for (const job of jobs) {
    // A failed or cancelled job's bytes are out of the sum: what is left to send is what counts.
    if (job.state === 'failed' || job.state === 'cancelled') {
      ended++
      if (job.state === 'failed') failed++
      continue
    }
    total += job.total
    if (job.state === 'done') {
      done++
      ended++
      loaded += job.total
    } else {
      active++
      loaded += job.loaded
      if (job.state === 'uploading') speed += job.speed
    }
  }
  const left = total - loaded
  return {
    count: jobs.length,
    done,
    ended,
    failed,
    active,
    loaded,
    total,
    secondsLeft: active === 0 ? 0 : speed > 0 ? left / speed : null,
  }
}

/**
 * "2 of 5 uploaded · about 3 min left", or "5 of 5 uploaded, 1 failed" once all have ended.
 * @param {ReturnType<typeof uploadTotals>} totals
 */
export function describeTotals({ count, done, failed, active, secondsLeft }) {
  const parts = [`${done} of ${count} uploaded`]
  if (failed) parts.push(`${failed} failed`)
  const head = parts.join(', ')
  if (active === 0) return head
  return secondsLeft === null ? head : `${head} · ${humanDuration(secondsLeft)} left`
}
