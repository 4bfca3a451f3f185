// The grid of the caller's files: one card per file, cloned from the <template> in index.html, with
// a lazy thumbnail for images and a type icon for everything else, and a checkbox for selecting.
// Names and keys reach the DOM only through textContent and attributes, never as markup.
import { downloadUrl, fileUrl } from './api.js'
import { cloneTemplate, part } from './dom.js'
import { fileKind, humanDate, humanSize, typeLabel } from './format.js'

/** A card's selection checkbox. @param {HTMLElement} card */
const checkbox = (card) => part(card, '.select', HTMLInputElement)

/**
 * A file as the list answers it (`url`: a presigned GET, absent for a file just uploaded).
 * @typedef {{key: string, name: string, size: number, lastModified: string, url?: string}} GalleryFile
 */

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
 * @param {HTMLElement} container
 * @param {GalleryFile} file
 * @param {(name: string) => boolean} showsInline
 */
function showThumbnail(container, file, showsInline) {
  // Only a file the server serves inline can be an <img>; others would download or break.
  if (!file.url || !showsInline(file.name)) return container.replaceChildren(typeIcon(file.name))
  const img = document.createElement('img')
  img.setAttribute('loading', 'lazy') // before src, or the browser may start fetching at once
  img.decoding = 'async'
  img.alt = '' // the name is right below; repeating it would be noise for screen readers
  // A CORS request, so the browser caches the bucket's answer with its CORS headers: download URLs
  // repeat within a signing window, and a later fetch() of the same URL must be able to reuse it.
  img.crossOrigin = 'anonymous'
  img.addEventListener('error', () => container.replaceChildren(typeIcon(file.name)), { once: true })
  img.src = file.url
  container.replaceChildren(img)
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
  showThumbnail(thumb, file, showsInline)
  // The name is the "open" link: an image shows in a new tab, other files download.
  const name = part(card, '.name', HTMLAnchorElement)
  name.textContent = file.name
  name.title = file.name
  name.href = fileUrl(file.key)
  name.setAttribute('aria-label', `Open ${file.name}`)
  part(card, '.size', HTMLElement).textContent = humanSize(file.size)
  const date = part(card, '.date', HTMLTimeElement)
  date.dateTime = file.lastModified
  date.textContent = humanDate(file.lastModified)
  const download = part(card, '.download', HTMLAnchorElement)
  download.href = downloadUrl(file.key)
  download.setAttribute('aria-label', `Download ${file.name}`)
  const remove = part(card, '.delete', HTMLButtonElement)
  remove.setAttribute('aria-label', `Delete ${file.name}`)
  remove.addEventListener('click', () => onDelete(file, remove))
  const select = checkbox(card)
  select.setAttribute('aria-label', `Select ${file.name}`)
  select.addEventListener('change', () => {
    card.classList.toggle('is-selected', select.checked)
    onSelect()
  })
  return card
}

/**
 * Keeps one card per key, so a fresh upload and a later page never show a file twice.
 * @param {{grid: HTMLElement, template: HTMLTemplateElement,
 *   onDelete: (file: GalleryFile, button: HTMLButtonElement) => void, onSelectionChange: () => void,
 *   showsInline: (name: string) => boolean}} opts
 */
export function createGallery({ grid, template, onDelete, onSelectionChange, showsInline }) {
  /** @type {Map<string, {card: HTMLElement, file: GalleryFile}>} */
  const cards = new Map()
  const handlers = { onDelete, onSelect: () => onSelectionChange(), showsInline }
  /**
   * @param {GalleryFile} file
   * @param {'append' | 'prepend'} where
   */
  const add = (file, where) => {
    if (cards.has(file.key)) return
    const card = fileCard(template, file, handlers)
    cards.set(file.key, { card, file })
    grid[where](card)
  }
  return {
    get size() {
      return cards.size
    },
    clear() {
      cards.clear()
      grid.replaceChildren()
      onSelectionChange()
    },
    /** A page from the list, in the server's order (newest first). */
    /** @param {GalleryFile[]} files */
    append(files) {
      for (const file of files) add(file, 'append')
    },
    /** A file just uploaded: it is the newest, so it goes first. */
    /** @param {GalleryFile} file */
    prepend(file) {
      add(file, 'prepend')
    },
    /** @param {string} key */
    remove(key) {
      cards.get(key)?.card.remove()
      cards.delete(key)
      onSelectionChange()
    },
    /** The files whose checkboxes are ticked, in grid order. */
    selected() {
      return [...cards.values()].filter(({ card }) => checkbox(card).checked).map((c) => c.file)
    },
    /** @param {boolean} checked */
    selectAll(checked) {
      for (const { card } of cards.values()) {
        checkbox(card).checked = checked
        card.classList.toggle('is-selected', checked)
      }
      onSelectionChange()
    },
    /** The card after (or else before) `key`, for keeping keyboard focus in the grid after a delete. */
    /** @param {string} key */
    neighbour(key) {
      const card = cards.get(key)?.card
      return card?.nextElementSibling ?? card?.previousElementSibling ?? null
    },
  }
}
