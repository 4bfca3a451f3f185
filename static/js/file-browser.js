// The caller's files as a browsable grid: pages from the list (infinite scroll with a More button),
// the empty state, sort and filter (kept in the URL), selection, and deleting one or several after
// a confirmation. Cards are drawn by gallery.js; what to say and what a 401 means is the page's
// business (main.js passes say/report).
import * as api from './api.js'
import { confirmAction } from './confirm-dialog.js'
import { createGallery } from './gallery.js'
import { readView, writeView } from './gallery-view.js'

/** @typedef {import('./gallery.js').GalleryFile} GalleryFile */

/** Files asked for per page of the grid. */
const PAGE_SIZE = 30
/** Deletes in flight at once when deleting a selection. */
const PARALLEL_DELETES = 4

/**
 * The parts of the page the grid uses (index.html).
 * @typedef {{grid: HTMLElement, empty: HTMLElement, noMatch: HTMLElement, more: HTMLButtonElement,
 *   filesTitle: HTMLElement, sort: HTMLSelectElement, filter: HTMLInputElement, selectionBar: HTMLElement,
 *   selectAll: HTMLInputElement, selectionCount: HTMLElement, deleteSelected: HTMLButtonElement,
 *   confirm: HTMLDialogElement}} FileBrowserElements
 */

/**
 * @param {{el: FileBrowserElements, template: HTMLTemplateElement,
 *   say: (text: string, opts?: {error?: boolean}) => void, report: (err: unknown, doing: string) => void,
 *   showsInline: (name: string) => boolean, onDeleted?: () => void}} opts
 *   showsInline: whether the server serves a file of that name inline (so a card without a preview
 *   may offer Show); onDeleted: told after files were deleted (the storage used changed)
 */
export function createFileBrowser({ el, template, say, report, showsInline, onDeleted = () => {} }) {
  let active = false
  /** @type {string | null} */
  let cursor = null
  /** False once the list said there is no next page. */
  let morePages = true
  let loading = false
  let listFailed = false
  /** Counts resets and clears, so a list answer that arrives for an earlier user is dropped. */
  let generation = 0
  /** Whether the More button (the infinite-scroll sentinel) is near the viewport. */
  let moreInView = false

  let view = readView(location.search)
  el.sort.value = view.sort
  el.filter.value = view.filter
  const gallery = createGallery({
    grid: el.grid,
    template,
    view,
    onDelete: deleteOne,
    onSelectionChange: updateSelection,
    showsInline,
  })

  function updateSelection() {
    const count = gallery.selected().length
    const shown = gallery.shownCount
    el.selectionCount.textContent = count ? `${count} selected` : ''
    el.deleteSelected.disabled = count === 0
    el.selectAll.checked = count > 0 && count === shown
    el.selectAll.indeterminate = count > 0 && count < shown
    // No "no files yet" while a page is on its way or when the list could not be read.
    el.empty.hidden = loading || listFailed || gallery.size > 0
    el.noMatch.hidden = gallery.size === 0 || shown > 0
    el.selectionBar.hidden = gallery.size === 0
  }

  /** The sort and filter controls changed: apply them and keep them in the URL (no new history entry). */
  function changeView() {
    view = { sort: /** @type {typeof view.sort} */ (el.sort.value), filter: el.filter.value.trim() }
    gallery.setView(view)
    history.replaceState(history.state, '', `${location.pathname}${writeView(location.search, view)}${location.hash}`)
  }

  async function loadPage() {
    if (loading || !active || !morePages) return
    const asked = generation
    loading = true
    el.more.disabled = true
    el.grid.setAttribute('aria-busy', 'true')
    try {
      const page = await api.listFiles(cursor, PAGE_SIZE)
      if (asked !== generation) return // signed out meanwhile: these are not this grid's files
      listFailed = false
      gallery.add(page.files)
      cursor = page.cursor
      morePages = Boolean(cursor)
      el.more.hidden = !morePages
    } catch (err) {
      if (asked !== generation) return
      listFailed = true
      el.more.hidden = false // the way to try again
      report(err, 'Could not list your files')
    } finally {
      if (asked === generation) {
        loading = false
        el.more.disabled = false
        el.grid.removeAttribute('aria-busy')
        updateSelection()
      }
    }
    // A page too short to push the sentinel out of view fires no new intersection: keep going.
    // Not after a failure, though: that would ask again every frame.
    if (moreInView && morePages && !listFailed) requestAnimationFrame(() => moreInView && loadPage())
  }

  /**
   * @param {GalleryFile[]} files
   * @returns {Promise<{file: GalleryFile, err: unknown}[]>} the ones that could not be deleted
   */
  async function deleteKeys(files) {
    /** @type {{file: GalleryFile, err: unknown}[]} */
    const failed = []
    const pending = [...files]
    const worker = async () => {
      for (let file = pending.shift(); file; file = pending.shift()) {
        try {
          await api.deleteFile(file.key)
        } catch (err) {
          // Already gone is what was asked for.
          if (!(err instanceof api.ApiError && err.status === 404)) {
            failed.push({ file, err })
            continue
          }
        }
        gallery.remove(file.key)
      }
    }
    await Promise.all(Array.from({ length: Math.min(PARALLEL_DELETES, files.length) }, worker))
    if (failed.length < files.length) onDeleted()
    return failed
  }

  /**
   * After cards vanish, keyboard focus goes to a neighbouring card or the heading, never to <body>.
   * @param {Element | null} target
   */
  function refocus(target) {
    const next = target?.isConnected ? target.querySelector('input.select') : null
    if (next instanceof HTMLInputElement) return next.focus()
    el.filesTitle.focus()
  }

  /**
   * @param {GalleryFile} file
   * @param {HTMLButtonElement} button
   */
  async function deleteOne(file, button) {
    const ok = await confirmAction(el.confirm, {
      title: 'Delete this file?',
      message: `“${file.name}” will be deleted for good.`,
      confirmLabel: 'Delete',
    })
    if (!ok) return
    button.disabled = true
    const neighbour = gallery.neighbour(file.key)
    const [failure] = await deleteKeys([file])
    if (failure) {
      button.disabled = false
      return report(failure.err, `Could not delete ${file.name}`)
    }
    say(`Deleted ${file.name}.`)
    refocus(neighbour)
  }

  async function deleteSelected() {
    const files = gallery.selected()
    if (!files.length) return
    const one = files.length === 1
    const ok = await confirmAction(el.confirm, {
      title: one ? 'Delete 1 file?' : `Delete ${files.length} files?`,
      message: one ? `“${files[0].name}” will be deleted for good.` : 'They will be deleted for good.',
      confirmLabel: one ? 'Delete' : `Delete ${files.length} files`,
    })
    if (!ok) return
    el.deleteSelected.disabled = true
    const failed = await deleteKeys(files)
    updateSelection()
    if (failed.length) report(failed[0].err, `Could not delete ${failed.length} of ${files.length}`)
    else say(one ? `Deleted ${files[0].name}.` : `Deleted ${files.length} files.`)
    el.filesTitle.focus()
  }

  // Infinite scroll: the More button is also the sentinel; reaching it loads the next page. The
  // button stays for keyboard users and for browsers that scroll without firing the observer.
  new IntersectionObserver(
    (entries) => {
      moreInView = entries.some((e) => e.isIntersecting)
      // After a failed page the button shows itself to offer a retry, which the observer sees as
      // coming into view: only a click tries again, so a failing list is not asked twice unbidden.
      if (moreInView && !listFailed) loadPage()
    },
    { rootMargin: '400px' },
  ).observe(el.more)
  el.more.addEventListener('click', loadPage)
  el.sort.addEventListener('change', changeView)
  el.filter.addEventListener('input', changeView)
  el.selectAll.addEventListener('change', () => gallery.selectAll(el.selectAll.checked))
  el.deleteSelected.addEventListener('click', deleteSelected)

  return {
    /** Forgets everything shown (signing out); answers still on their way are dropped. */
    clear() {
      active = false
      generation++
      loading = false
      listFailed = false
      gallery.clear()
      cursor = null
      morePages = true
      el.more.hidden = true
    },
    /** Shows the first page for whoever is signed in now. */
    async reset() {
      this.clear()
      active = true
      await loadPage()
    },
    /** A file just uploaded: it is the newest, so it goes first. @param {GalleryFile} file */
    addUploaded(file) {
      gallery.add([file])
    },
  }
}
