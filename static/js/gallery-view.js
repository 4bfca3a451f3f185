// How the grid is viewed: the sort order and the name filter, kept in the page's URL (?sort=&q=) so
// a reload or a shared link shows the same view, and the middle-truncation of long names. Pure: no
// DOM, no network; the grid (gallery.js, file-browser.js) applies them to the files it has loaded.

/** @typedef {'newest' | 'oldest' | 'name' | 'size'} SortOrder */
/** @typedef {{sort: SortOrder, filter: string}} GalleryView */
/** @typedef {{key: string, name: string, size: number, lastModified: string}} SortableFile */

/** @type {SortOrder[]} */
export const SORT_ORDERS = ['newest', 'oldest', 'name', 'size']
const DEFAULT_SORT = 'newest'
/** Longest filter kept from a URL, in characters. */
const MAX_FILTER_LENGTH = 200
/** Characters kept after the ellipsis of a long name: the extension and a few before it. */
const NAME_TAIL_MIN = 6
const NAME_TAIL_MAX = 14

/**
 * The view a URL's query asks for; anything unknown falls back to the default.
 * @param {string} search e.g. location.search
 * @returns {GalleryView}
 */
export function readView(search) {
  const query = new URLSearchParams(search)
  const sort = /** @type {SortOrder} */ (query.get('sort') ?? '')
  return {
    sort: SORT_ORDERS.includes(sort) ? sort : DEFAULT_SORT,
    filter: (query.get('q') ?? '').slice(0, MAX_FILTER_LENGTH),
  }
}

/**
 * `search` with the view written into it; other parameters stay, defaults are left out.
 * @param {string} search
 * @param {GalleryView} view
 */
export function writeView(search, view) {
  const query = new URLSearchParams(search)
  if (view.sort === DEFAULT_SORT) query.delete('sort')
  else query.set('sort', view.sort)
  if (view.filter) query.set('q', view.filter)
  else query.delete('q')
  const qs = query.toString()
  return qs ? `?${qs}` : ''
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

/**
 * A comparator for `sort`; ties fall back to the key, so the order is the same on every render.
 * @param {SortOrder} sort
 * @returns {(a: SortableFile, b: SortableFile) => number}
 */
export function compareFiles(sort) {
  const byKey = (/** @type {SortableFile} */ a, /** @type {SortableFile} */ b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0
  const time = (/** @type {SortableFile} */ f) => Date.parse(f.lastModified) || 0
  switch (sort) {
    case 'oldest':
      return (a, b) => time(a) - time(b) || byKey(b, a)
    case 'name':
      return (a, b) => collator.compare(a.name, b.name) || byKey(a, b)
    case 'size':
      return (a, b) => b.size - a.size || byKey(a, b)
    default:
      // Keys start with a time-ordered id that sorts newest first (src object names).
      return (a, b) => time(b) - time(a) || byKey(a, b)
  }
}

/**
 * Whether `name` matches the filter: every word of it, case- and accent-insensitively.
 * @param {string} name
 * @param {string} filter
 */
export function matchesFilter(name, filter) {
  const fold = (/** @type {string} */ s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
  const haystack = fold(name)
  return fold(filter)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word))
}

/**
 * A name cut in two for truncating in the middle: the head may be shortened with an ellipsis,
 * the tail (the extension and a few characters before it) always shows.
 * @param {string} name
 * @returns {[string, string]}
 */
export function splitName(name) {
  const chars = [...name] // by code point, so a surrogate pair is never cut in half
  const dot = name.lastIndexOf('.')
  const extension = dot > 0 ? [...name.slice(dot)].length : 0
  const tail = Math.min(Math.max(extension + 4, NAME_TAIL_MIN), NAME_TAIL_MAX)
  if (chars.length <= tail + 4) return [name, '']
  return [chars.slice(0, -tail).join(''), chars.slice(-tail).join('')]
}
