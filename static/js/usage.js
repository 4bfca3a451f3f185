// The user's storage use against their quota, as /api/me states it (`usage`): the words and level
// of the usage bar, and the check that refuses an over-quota file before anything is sent (the
// server refuses it again: 413 quota_exceeded). Pure: no DOM, no network.
import { humanSize } from './format.js'

/** @typedef {{bytes: number, files: number, quotaBytes: number | null, quotaFiles: number | null}} Usage */

/** The bar turns to a warning from this share of the quota on. */
export const WARNING_SHARE = 0.9

/**
 * The larger of the two shares used (bytes, files), 0 to 1; null without any quota.
 * @param {Usage} usage
 */
export function usedShare(usage) {
  const shares = []
  if (usage.quotaBytes !== null) shares.push(usage.quotaBytes > 0 ? usage.bytes / usage.quotaBytes : 1)
  if (usage.quotaFiles !== null) shares.push(usage.quotaFiles > 0 ? usage.files / usage.quotaFiles : 1)
  return shares.length ? Math.min(1, Math.max(...shares)) : null
}

/** @param {Usage} usage @returns {'ok' | 'warning' | 'full'} */
export function usageLevel(usage) {
  const share = usedShare(usage)
  if (share === null || share < WARNING_SHARE) return 'ok'
  return share >= 1 ? 'full' : 'warning'
}

/**
 * "1.2 MB of 10 MB used · 3 of 100 files", or without quotas "1.2 MB in 3 files".
 * @param {Usage} usage
 */
export function describeUsage(usage) {
  const files = (/** @type {number} */ n) => `${n} file${n === 1 ? '' : 's'}`
  if (usage.quotaBytes === null && usage.quotaFiles === null)
    return `${humanSize(usage.bytes)} in ${files(usage.files)}`
  const parts = []
  parts.push(
    usage.quotaBytes === null
      ? `${humanSize(usage.bytes)} used`
      : `${humanSize(usage.bytes)} of ${humanSize(usage.quotaBytes)} used`,
  )
  parts.push(usage.quotaFiles === null ? files(usage.files) : `${usage.files} of ${files(usage.quotaFiles)}`)
  const level = usageLevel(usage)
  if (level === 'full') parts.push('your storage is full; delete files to upload more')
  else if (level === 'warning') parts.push('nearly full')
  return parts.join(' · ')
}

/**
 * Why `file` would pass the quota, counting `queued` (files already accepted in this batch), or null.
 * @param {{size: number}} file
 * @param {Usage} usage
 * @param {{bytes: number, files: number}} queued
 */
export function quotaProblem(file, usage, queued) {
  const bytes = usage.bytes + queued.bytes
  if (usage.quotaBytes !== null && bytes + file.size > usage.quotaBytes) {
    const left = Math.max(0, usage.quotaBytes - bytes)
    // "2 KB but only 2 KB left" would puzzle anyone: bytes when rounding hides the difference.
    const size = humanSize(file.size) === humanSize(left) ? (/** @type {number} */ n) => `${n} bytes` : humanSize
    return `Over your storage quota: this file is ${size(file.size)} but only ${size(left)} of your ${size(usage.quotaBytes)} are left`
  }
  if (usage.quotaFiles !== null && usage.files + queued.files + 1 > usage.quotaFiles) {
    return `Over your file quota: you may keep ${usage.quotaFiles} files; delete some to upload more`
  }
  return null
}
