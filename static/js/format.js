// Pure helpers for showing files to people: sizes, dates, and what kind of file a name suggests.
// No DOM and no network, so each can be tried in a console or a test on its own.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB']

/**
 * Binary steps (1 KB = 1024 B) so the default 10485760-byte limit reads as "10 MB".
 * @param {number} bytes
 */
export function humanSize(bytes) {
  if (!Number.isFinite(bytes) || bytes < 0) return ''
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  // One decimal below 10 (1.5 MB), none above (15 MB) or for bytes.
  const digits = unit === 0 || value >= 10 ? 0 : 1
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${UNITS[unit]}`
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/**
 * An ISO date in the reader's locale and time zone; '' if it does not parse.
 * @param {string} iso
 */
export function humanDate(iso) {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date)
}

const thisYearFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
})
const otherYearFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

/**
 * An ISO date short enough for a card: day and time this year ("Nov 30, 10:44"), day and year
 * before ("Nov 30, 2025"); '' if it does not parse. humanDate has the whole of it.
 * @param {string} iso
 */
export function compactDate(iso, now = new Date()) {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return (date.getFullYear() === now.getFullYear() ? thisYearFormat : otherYearFormat).format(date)
}

/**
 * The extension of a file name, lower case, without the dot; '' when there is none.
 * @param {string} name
 */
export function extension(name) {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

/**
 * A short neutral label for files without a preview: "PDF", "TXT", or "FILE".
 * @param {string} name
 */
export function typeLabel(name) {
  const ext = extension(name)
  return ext && /^[a-z0-9]{1,5}$/.test(ext) ? ext.toUpperCase() : 'FILE'
}

const KINDS = {
  image: ['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'svg', 'bmp', 'ico', 'heic', 'tif', 'tiff'],
  pdf: ['pdf'],
  text: ['txt', 'md', 'csv', 'json', 'xml', 'log', 'yaml', 'yml', 'html', 'htm', 'css', 'js', 'ts'],
  document: ['doc', 'docx', 'odt', 'rtf', 'xls', 'xlsx', 'ods', 'ppt', 'pptx', 'odp'],
  audio: ['mp3', 'wav', 'ogg', 'flac', 'm4a', 'aac', 'opus'],
  video: ['mp4', 'webm', 'mov', 'mkv', 'avi', 'm4v'],
  archive: ['zip', 'tar', 'gz', 'tgz', 'bz2', 'xz', '7z', 'rar', 'zst'],
}
const KIND_BY_EXTENSION = new Map(Object.entries(KINDS).flatMap(([kind, exts]) => exts.map((e) => [e, kind])))

/**
 * The broad kind of a file by its name, for its icon: image, pdf, text, document, audio, video, archive or file.
 * @param {string} name
 */
export function fileKind(name) {
  return KIND_BY_EXTENSION.get(extension(name)) ?? 'file'
}

/**
 * Bytes per second as "1.2 MB/s".
 * @param {number} bytesPerSecond
 */
export function humanSpeed(bytesPerSecond) {
  return `${humanSize(Math.round(bytesPerSecond))}/s`
}

/**
 * The name people see for a relative key: its last `/`-separated segment.
 * @param {string} key
 */
export function displayName(key) {
  return key.slice(key.lastIndexOf('/') + 1)
}

/**
 * A time still to wait, roughly: "about 5 s", "about 3 min", "about 1 h 20 min".
 * @param {number} seconds
 */
export function humanDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return ''
  if (seconds < 60) return `about ${Math.max(1, Math.ceil(seconds))} s`
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 60) return `about ${minutes} min`
  const rest = minutes % 60
  return `about ${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ''}`
}
