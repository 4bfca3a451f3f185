// The grid of the caller's files: one card per file, cloned from the <template> in index.html, with
// the file's preview (never the original) or a type icon, a checkbox for selecting, and the actions
// (a compact menu on a phone). Cards keep the view's sort order and filter (gallery-view.js). Names
// and keys reach the DOM only through textContent and attributes, never as markup.
import { downloadUrl, fileUrl } from './api.js'
import { cloneTemplate, part } from './dom.js'
import { compactDate, fileKind, humanDate, humanSize, typeLabel } from './format.js'
import { compareFiles, matchesFilter, splitName } from './gallery-view.js'

/** A card's selection checkbox. @param {HTMLElement} card */
const checkbox = (card) => part(card, '.select', HTMLInputElement)

/**
 * A file as the list answers it: `url` a presigned GET of the original, `thumbnailUrl` of its
 * preview (absent when it has none); `preview` the preview itself for a file just uploaded here.
 * @typedef {{key: string, name: string, size: number, lastModified: string, url?: string,
 *   thumbnailUrl?: string, preview?: Blob}} GalleryFile
 */
/** @typedef {import('./gallery-view.js').GalleryView} GalleryView */

/** @param {string} name */
function typeIcon(name) {
  const icon = document.createElement('span')
  icon.className = 'type-icon'
  icon.dataset.kind = fileKind(name)
  const label = document.createElement('span')
  label.className = 'type-label'
  label.textContent = typeLabel(name)
  icon.append(label)
  return icon
}

/**
 * The preview when there is one, else a type icon: the grid never loads an original, which may be
 * megabytes (files from before previews, or from clients that make none, show their icon).
 * @param {HTMLElement} container
 * @param {GalleryFile} file
 */
function showThumbnail(container, file) {
  const src = file.preview ? URL.createObjectURL(file.preview) : file.thumbnailUrl
  if (!src) return container.replaceChildren(typeIcon(file.name))
  const img = document.createElement('img')
  img.setAttribute('loading', 'lazy') // before src, or the browser may start fetching at once
  img.decoding = 'async'
  img.alt = '' // the name is right beside it; repeating it would be noise for screen readers
  // A CORS request, so the browser caches the bucket's answer with its CORS headers: download URLs
  // repeat within a signing window, and a later fetch() of the same URL must be able to reuse it.
  img.crossOrigin = 'anonymous'
  const settled = () => file.preview && URL.revokeObjectURL(src)
  img.addEventListener('load', settled, { once: true })
  img.addEventListener(
    'error',
    () => {
      settled()
      container.replaceChildren(typeIcon(file.name))
    },
    { once: true },
  )
  img.src = src
  container.replaceChildren(img)
}

/**
 * The actions menu of a card on a phone: the ⋯ button opens it, Escape or leaving it closes it.
 * On wider screens the button is not shown and the actions sit on the card (app.css).
 * @param {HTMLElement} card
 * @param {string} name
 */
function wireMenu(card, name) {
  const toggle = part(card, '.menu-toggle', HTMLButtonElement)
  const actions = part(card, '.actions', HTMLElement)
  toggle.setAttribute('aria-label', `Actions for ${name}`)
  const setOpen = (/** @type {boolean} */ open) => {
    card.classList.toggle('menu-open', open)
    toggle.setAttribute('aria-expanded', String(open))
  }
  toggle.addEventListener('click', () => {
    const open = !card.classList.contains('menu-open')
    setOpen(open)
    const first = actions.querySelector('a:not([hidden]), button:not([hidden])')
    if (open && first instanceof HTMLElement) first.focus()
  })
  card.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !card.classList.contains('menu-open')) return
    setOpen(false)
    toggle.focus()
  })
  card.addEventListener('focusout', (event) => {
    if (!(event.relatedTarget instanceof Node) || !card.contains(event.relatedTarget)) setOpen(false)
  })
}

/**
 * A file from before previews: its icon, and for an image the server shows inline, a Show action
 * that loads the original in its place on request (it may be megabytes).
 * @param {HTMLElement} card
 * @param {HTMLElement} thumb
 * @param {GalleryFile} file
 */
function offerOriginal(card, thumb, file) {
  const show = part(card, '.show', HTMLButtonElement)
  show.hidden = false
  show.setAttribute('aria-label', `Show ${file.name}`)
  show.addEventListener('click', () => {
    show.hidden = true
    showThumbnail(thumb, { ...file, thumbnailUrl: file.url })
  })
}

/**
 * @param {HTMLTemplateElement} template
 * @param {GalleryFile} file
 * @param {{onDelete: (file: GalleryFile, button: HTMLButtonElement) => void, onSelect: () => void,
 *   showsInline: (name: string) => boolean}} handlers
 */
function fileCard(template, file, { onDelete, onSelect, showsInline }) {
  const card = cloneTemplate(template)
  card.dataset.key = file.key
  const thumb = part(card, '.thumb', HTMLAnchorElement)
  thumb.href = fileUrl(file.key)
  showThumbnail(thumb, file)
  if (!file.preview && !file.thumbnailUrl && file.url && showsInline(file.name)) offerOriginal(card, thumb, file)
  // The name is the "open" link: an image shows in a new tab, other files download. Long names are
  // cut in the middle (CSS ellipsis on the head), so the extension stays in view.
  const name = part(card, '.name', HTMLAnchorElement)
  const [head, tail] = splitName(file.name)
  part(name, '.name-head', HTMLElement).textContent = head
  part(name, '.name-tail', HTMLElement).textContent = tail
  name.title = file.name
  name.href = fileUrl(file.key)
  name.setAttribute('aria-label', `Open ${file.name}`)
  part(card, '.size', HTMLElement).textContent = humanSize(file.size)
  const date = part(card, '.date', HTMLTimeElement)
  date.dateTime = file.lastModified
  date.textContent = compactDate(file.lastModified)
  date.title = humanDate(file.lastModified)
  const download = part(card, '.download', HTMLAnchorElement)
  download.href = downloadUrl(file.key)
  download.setAttribute('aria-label', `Download ${file.name}`)
  card.querySelector('.share')?.setAttribute('aria-label', `Share ${file.name}`) // main.js opens the dialog
  const remove = part(card, '.delete', HTMLButtonElement)
  remove.setAttribute('aria-label', `Delete ${file.name}`)
  remove.addEventListener('click', () => onDelete(file, remove))
  wireMenu(card, file.name)
  const select = checkbox(card)
  select.setAttribute('aria-label', `Select ${file.name}`)
  select.addEventListener('change', () => {
    card.classList.toggle('is-selected', select.checked)
    onSelect()
  })
  return card
}

/**
 * Keeps one card per key, so a fresh upload and a later page never show a file twice, in the
 * view's order, with the cards the filter leaves out hidden (and never selected).
 * @param {{grid: HTMLElement, template: HTMLTemplateElement, view: GalleryView,
 *   onDelete: (file: GalleryFile, button: HTMLButtonElement) => void, onSelectionChange: () => void,
 *   showsInline: (name: string) => boolean}} opts
 */
export function createGallery({ grid, template, view, onDelete, onSelectionChange, showsInline }) {
  /** @type {Map<string, {card: HTMLElement, file: GalleryFile}>} */
  const cards = new Map()
  const handlers = { onDelete, onSelect: () => onSelectionChange(), showsInline }
  let compare = compareFiles(view.sort)
  let filter = view.filter

  /** @param {{card: HTMLElement, file: GalleryFile}} entry */
  const applyFilter = ({ card, file }) => {
    card.hidden = !matchesFilter(file.name, filter)
    if (card.hidden && checkbox(card).checked) {
      checkbox(card).checked = false
      card.classList.remove('is-selected')
    }
  }
  const shown = () => [...cards.values()].filter(({ card }) => !card.hidden)

  /** @param {GalleryFile} file */
  const add = (file) => {
    if (cards.has(file.key)) return
    const entry = { card: fileCard(template, file, handlers), file }
    applyFilter(entry)
    // Before the first card that sorts after it: pages arrive in order, so this is mostly the end.
    let before = null
    for (let node = grid.lastElementChild; node; node = node.previousElementSibling) {
      const other = cards.get(/** @type {HTMLElement} */ (node).dataset.key ?? '')
      if (!other || compare(other.file, file) <= 0) break
      before = node
    }
    grid.insertBefore(entry.card, before)
    cards.set(file.key, entry)
  }

  return {
    get size() {
      return cards.size
    },
    /** Cards the filter shows. */
    get shownCount() {
      return shown().length
    },
    clear() {
      cards.clear()
      grid.replaceChildren()
      onSelectionChange()
    },
    /** @param {GalleryFile[]} files */
    add(files) {
      for (const file of files) add(file)
      onSelectionChange()
    },
    /** Re-sorts and re-filters every card for a new view. @param {GalleryView} next */
    setView(next) {
      if (next.sort !== view.sort) {
        compare = compareFiles(next.sort)
        const sorted = [...cards.values()].sort((a, b) => compare(a.file, b.file))
        grid.append(...sorted.map((c) => c.card))
      }
      filter = next.filter
      for (const entry of cards.values()) applyFilter(entry)
      view = next
      onSelectionChange()
    },
    /** @param {string} key */
    remove(key) {
      cards.get(key)?.card.remove()
      cards.delete(key)
      onSelectionChange()
    },
    /** The shown files whose checkboxes are ticked, in grid order. */
    selected() {
      return [...grid.children]
        .map((card) => cards.get(/** @type {HTMLElement} */ (card).dataset.key ?? ''))
        .filter((c) => c !== undefined && !c.card.hidden && checkbox(c.card).checked)
        .map((c) => /** @type {{file: GalleryFile}} */ (c).file)
    },
    /** Ticks or clears every shown card. @param {boolean} checked */
    selectAll(checked) {
      for (const { card } of shown()) {
        checkbox(card).checked = checked
        card.classList.toggle('is-selected', checked)
      }
      onSelectionChange()
    },
    /** The shown card after (or else before) `key`, for keeping keyboard focus in the grid after a delete. */
    /** @param {string} key */
    neighbour(key) {
      const card = cards.get(key)?.card
      /** @param {'nextElementSibling' | 'previousElementSibling'} way */
      const walk = (way) => {
        let node = card?.[way]
        while (node instanceof HTMLElement && node.hidden) node = node[way]
        return node ?? null
      }
      return walk('nextElementSibling') ?? walk('previousElementSibling')
    },
  }
}
