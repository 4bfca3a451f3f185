// The grid of the caller's files: one card per file, cloned from the <template> in index.html, with
// a lazy thumbnail for images and a type icon for everything else, and a checkbox for selecting.
// Names and keys reach the DOM only through textContent and attributes, never as markup.
import { downloadUrl, fileUrl } from './api.js'
import { fileKind, humanDate, humanSize, looksLikeImage, typeLabel } from './format.js'

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

function showThumbnail(container, file) {
  if (!file.url || !looksLikeImage(file.name)) return container.replaceChildren(typeIcon(file.name))
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

function fileCard(template, file, { onDelete, onSelect }) {
  const card = template.content.firstElementChild.cloneNode(true)
  card.dataset.key = file.key
  const thumb = card.querySelector('.thumb')
  thumb.href = fileUrl(file.key)
  showThumbnail(thumb, file)
  // The name is the "open" link: an image shows in a new tab, other files download.
  const name = card.querySelector('.name')
  name.textContent = file.name
  name.title = file.name
  name.href = fileUrl(file.key)
  name.setAttribute('aria-label', `Open ${file.name}`)
  card.querySelector('.size').textContent = humanSize(file.size)
  const date = card.querySelector('.date')
  date.dateTime = file.lastModified
  date.textContent = humanDate(file.lastModified)
  const download = card.querySelector('.download')
  download.href = downloadUrl(file.key)
  download.setAttribute('aria-label', `Download ${file.name}`)
  const remove = card.querySelector('.delete')
  remove.setAttribute('aria-label', `Delete ${file.name}`)
  remove.addEventListener('click', () => onDelete(file, remove))
  const select = card.querySelector('.select')
  select.setAttribute('aria-label', `Select ${file.name}`)
  select.addEventListener('change', () => {
    card.classList.toggle('is-selected', select.checked)
    onSelect()
  })
  return card
}

/** Keeps one card per key, so a fresh upload and a later page never show a file twice. */
export function createGallery({ grid, template, onDelete, onSelectionChange }) {
  const cards = new Map() // key → { card, file }
  const handlers = { onDelete, onSelect: () => onSelectionChange() }
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
    append(files) {
      for (const file of files) add(file, 'append')
    },
    /** A file just uploaded: it is the newest, so it goes first. */
    prepend(file) {
      add(file, 'prepend')
    },
    remove(key) {
      cards.get(key)?.card.remove()
      cards.delete(key)
      onSelectionChange()
    },
    /** The files whose checkboxes are ticked, in grid order. */
    selected() {
      return [...cards.values()].filter(({ card }) => card.querySelector('.select').checked).map((c) => c.file)
    },
    selectAll(checked) {
      for (const { card } of cards.values()) {
        card.querySelector('.select').checked = checked
        card.classList.toggle('is-selected', checked)
      }
      onSelectionChange()
    },
    /** The card after (or else before) `key`, for keeping keyboard focus in the grid after a delete. */
    neighbour(key) {
      const card = cards.get(key)?.card
      return card?.nextElementSibling ?? card?.previousElementSibling ?? null
    },
  }
}
