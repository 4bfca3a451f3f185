// The grid of the caller's files: one card per file, cloned from the <template> in index.html.
// Names and keys reach the DOM only through textContent and attributes, never as markup.
import { fileUrl } from './api.js'
import { humanDate, humanSize, looksLikeImage, typeLabel } from './format.js'

function showTypeLabel(container, name) {
  const label = document.createElement('span')
  label.className = 'type-label'
  label.textContent = typeLabel(name)
  container.replaceChildren(label)
}

function showThumbnail(container, file) {
  if (!file.url || !looksLikeImage(file.name)) return showTypeLabel(container, file.name)
  const img = document.createElement('img')
  img.setAttribute('loading', 'lazy') // before src, or the browser may start fetching at once
  img.decoding = 'async'
  img.alt = '' // the name is right below; repeating it would be noise for screen readers
  img.addEventListener('error', () => showTypeLabel(container, file.name), { once: true })
  img.src = file.url
  container.replaceChildren(img)
}

function fileCard(template, file, onDelete) {
  const card = template.content.firstElementChild.cloneNode(true)
  card.dataset.key = file.key
  showThumbnail(card.querySelector('.thumb'), file)
  const name = card.querySelector('.name')
  name.textContent = file.name
  name.title = file.name
  card.querySelector('.size').textContent = humanSize(file.size)
  const date = card.querySelector('.date')
  date.dateTime = file.lastModified
  date.textContent = humanDate(file.lastModified)
  const download = card.querySelector('.download')
  download.href = fileUrl(file.key)
  download.setAttribute('aria-label', `Download ${file.name}`)
  const remove = card.querySelector('.delete')
  remove.setAttribute('aria-label', `Delete ${file.name}`)
  remove.addEventListener('click', () => onDelete(file, remove))
  return card
}

/** Keeps one card per key, so a fresh upload and a later page never show a file twice. */
export function createGallery({ grid, empty, template, onDelete }) {
  const cards = new Map()
  const add = (file, where) => {
    if (cards.has(file.key)) return
    const card = fileCard(template, file, onDelete)
    cards.set(file.key, card)
    grid[where](card)
  }
  const settle = () => {
    empty.hidden = cards.size > 0
  }
  return {
    clear() {
      cards.clear()
      grid.replaceChildren()
      empty.hidden = true
    },
    /** A page from the list, in the server's order (newest first). */
    append(files) {
      for (const file of files) add(file, 'append')
      settle()
    },
    /** A file just uploaded: it is the newest, so it goes first. */
    prepend(file) {
      add(file, 'prepend')
      settle()
    },
    remove(key) {
      cards.get(key)?.remove()
      cards.delete(key)
      settle()
    },
  }
}
