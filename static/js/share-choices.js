// What the Share dialog sends and the Shares view says: expiry in seconds, the download limit as
// typed, downloads and states in words. Pure: no DOM, no network.

/** The server's states for a share link, as the view shows them. */
export const STATE_LABELS = /** @type {const} */ ({
  active: 'Active',
  expired: 'Expired',
  used_up: 'Used up',
  revoked: 'Revoked',
  file_deleted: 'File deleted',
})

/**
 * The expiry to ask for, in seconds: a preset's value, or whole custom hours.
 * @param {string} choice '3600', '86400', '604800' or 'custom'
 * @param {string} customHours what the Hours field holds
 * @returns {{seconds: number} | {problem: string}}
 */
export function expiryChoice(choice, customHours) {
  if (choice !== 'custom') return { seconds: Number(choice) }
  const hours = Number(customHours)
  if (!Number.isInteger(hours) || hours < 1)
    return { problem: 'Custom expiry: enter a whole number of hours, at least 1.' }
  return { seconds: hours * 3600 }
}

/**
 * The download limit as typed: empty is no limit.
 * @param {string} text
 * @returns {{maxDownloads: number | null} | {problem: string}}
 */
export function limitChoice(text) {
  if (text.trim() === '') return { maxDownloads: null }
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1)
    return { problem: 'Download limit: enter a whole number, at least 1, or leave it empty.' }
  return { maxDownloads: n }
}

/**
 * "1 / 2" with a limit, "3 / no limit" without.
 * @param {{downloads: number, maxDownloads: number | null}} share
 */
export function downloadsLabel({ downloads, maxDownloads }) {
  return `${downloads} / ${maxDownloads ?? 'no limit'}`
}

/**
 * One line on what a new link allows, for the dialog.
 * @param {{expiresAt: string, maxDownloads: number | null}} created
 * @param {boolean} hasPassword
 * @param {(iso: string) => string} date formats a date (format.js's humanDate)
 */
export function createdSummary(created, hasPassword, date) {
  const parts = [`Works until ${date(created.expiresAt)}`]
  parts.push(
    created.maxDownloads === null
      ? 'any number of downloads'
      : `${created.maxDownloads} download${created.maxDownloads === 1 ? '' : 's'}`,
  )
  if (hasPassword) parts.push('password protected')
  return `${parts.join(', ')}.`
}
