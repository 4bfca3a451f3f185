// Page wiring: who is signed in, the upload queue, the file grid, selection and deleting. Network
// calls live in api.js, upload.js and transfer.js; drawing in upload-list.js and gallery.js; pure
// helpers in format.js, limits.js and upload-errors.js.
import * as api from './api.js'
import { confirmAction } from './confirm-dialog.js'
import { enableFileDrop } from './drop-zone.js'
import { displayName } from './format.js'
import { createGallery } from './gallery.js'
import { acceptAttribute, describeLimits, limitProblem } from './limits.js'
import { setUploadOwner, unfinishedUploads, uploadMultipart } from './multipart.js'
import { uploadWithTicket } from './upload.js'
import { createUploadList } from './upload-list.js'
import { createUploadQueue } from './upload-queue.js'

/** Files asked for per page of the grid. */
const PAGE_SIZE = 30
/** Uploads in flight at once; each asks for its ticket just before sending, as tickets expire. */
const PARALLEL_UPLOADS = 3
/** Deletes in flight at once when deleting a selection. */
const PARALLEL_DELETES = 4

const $ = (id) => document.getElementById(id)
const el = {
  message: $('message'),
  announce: $('announce'),
  who: $('who'),
  whoName: $('who-name'),
  signOut: $('sign-out'),
  signIn: $('sign-in'),
  signInForm: $('sign-in-form'),
  signInName: $('sign-in-name'),
  signedOut: $('signed-out'),
  app: $('app'),
  fileInput: $('file-input'),
  limits: $('limits'),
  uploadsHead: $('uploads-head'),
  uploadSummary: $('upload-summary'),
  clearFinished: $('clear-finished'),
  filesTitle: $('files-title'),
  grid: $('grid'),
  empty: $('empty'),
  more: $('more'),
  selectionBar: $('selection-bar'),
  selectAll: $('select-all'),
  selectionCount: $('selection-count'),
  deleteSelected: $('delete-selected'),
  confirm: $('confirm'),
}

let devSignIn = false
let signedIn = false
let limits = null
let cursor = null
/** False once the list said there is no next page. */
let morePages = true
let loading = false
const jobs = []

function say(text, { error = false } = {}) {
  el.message.textContent = text
  el.message.classList.toggle('is-error', error)
}

/** A 401 part-way through means the session ended; anything else is reported as it came. */
function report(err, doing) {
  if (err instanceof api.ApiError && err.status === 401) {
    showSignedOut()
    say('Your session has ended; please sign in again.', { error: true })
  } else {
    say(`${doing}: ${err.message}`, { error: true })
  }
}

// ---- the grid -------------------------------------------------------------------------------

const gallery = createGallery({
  grid: el.grid,
  template: $('file-card'),
  onDelete: deleteOne,
  onSelectionChange: updateSelection,
})

function updateEmpty() {
  el.empty.hidden = loading || gallery.size > 0
  el.selectionBar.hidden = gallery.size === 0
}

function updateSelection() {
  const count = gallery.selected().length
  el.selectionCount.textContent = count ? `${count} selected` : ''
  el.deleteSelected.disabled = count === 0
  el.selectAll.checked = count > 0 && count === gallery.size
  el.selectAll.indeterminate = count > 0 && count < gallery.size
  updateEmpty()
}

async function loadPage() {
  if (loading || !signedIn || !morePages) return
  loading = true
  el.more.disabled = true
  el.grid.setAttribute('aria-busy', 'true')
  try {
    const page = await api.listFiles(cursor, PAGE_SIZE)
    gallery.append(page.files)
    cursor = page.cursor
    morePages = Boolean(cursor)
    el.more.hidden = !morePages
  } catch (err) {
    report(err, 'Could not list your files')
  } finally {
    loading = false
    el.more.disabled = false
    el.grid.removeAttribute('aria-busy')
    updateSelection()
  }
  // A page too short to push the sentinel out of view fires no new intersection: keep going.
  if (moreInView && morePages) requestAnimationFrame(() => moreInView && loadPage())
}

// Infinite scroll: the More button is also the sentinel; reaching it loads the next page. The
// button stays for keyboard users and for browsers that scroll without firing the observer.
let moreInView = false
new IntersectionObserver(
  (entries) => {
    moreInView = entries.some((e) => e.isIntersecting)
    if (moreInView) loadPage()
  },
  { rootMargin: '400px' },
).observe(el.more)

async function deleteKeys(files) {
  const failed = []
  const queue = [...files]
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
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
  return failed
}

/** After cards vanish, keyboard focus goes to a neighbouring card or the heading, never to <body>. */
function refocus(target) {
  const next = target?.isConnected ? target.querySelector('.select') : null
  ;(next ?? el.filesTitle).focus()
}

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
  const ok = await confirmAction(el.confirm, {
    title: files.length === 1 ? 'Delete 1 file?' : `Delete ${files.length} files?`,
    message: files.length === 1 ? `“${files[0].name}” will be deleted for good.` : 'They will be deleted for good.',
    confirmLabel: files.length === 1 ? 'Delete' : `Delete ${files.length} files`,
  })
  if (!ok) return
  el.deleteSelected.disabled = true
  const failed = await deleteKeys(files)
  updateSelection()
  if (failed.length) report(failed[0].err, `Could not delete ${failed.length} of ${files.length}`)
  else say(files.length === 1 ? `Deleted ${files[0].name}.` : `Deleted ${files.length} files.`)
  el.filesTitle.focus()
}

// ---- uploads --------------------------------------------------------------------------------

const uploadList = createUploadList({
  list: $('uploads'),
  template: $('upload-row'),
  onCancel: (job) => queue.cancel(job),
  onRetry: (job) => queue.retry(job),
  onDismiss: (job) => {
    uploadList.remove(job)
    jobs.splice(jobs.indexOf(job), 1)
    updateUploadSummary()
    el.fileInput.focus()
  },
})

const queue = createUploadQueue({
  concurrency: PARALLEL_UPLOADS,
  onChange: (job) => {
    if (!jobs.includes(job)) jobs.push(job)
    uploadList.render(job)
    updateUploadSummary()
  },
  onSettled: (job) => {
    if (job.state === 'done') {
      // The list entry's presigned url is not known yet; the download route redirects to one.
      const key = job.result.key
      gallery.prepend({
        key,
        name: displayName(key),
        size: job.file.size,
        lastModified: new Date().toISOString(),
        url: api.fileUrl(key),
      })
      updateSelection()
      el.announce.textContent = `${job.file.name} uploaded.`
    } else if (job.state === 'failed') {
      el.announce.textContent = `${job.file.name} failed: ${job.reason}`
    }
    if (queue.active === 0) {
      const failed = jobs.filter((j) => j.state === 'failed').length
      say(failed ? `Uploads finished; ${failed} failed (reasons listed above).` : 'Uploads finished.', {
        error: failed > 0,
      })
    }
  },
})

function updateUploadSummary() {
  const count = (state) => jobs.filter((j) => j.state === state).length
  const parts = [
    [count('uploading'), 'uploading'],
    [count('queued'), 'queued'],
    [count('done'), 'done'],
    [count('failed'), 'failed'],
    [count('cancelled'), 'cancelled'],
  ].filter(([n]) => n > 0)
  el.uploadsHead.hidden = jobs.length === 0
  el.uploadSummary.textContent = parts.map(([n, label]) => `${n} ${label}`).join(', ')
  el.clearFinished.hidden = queue.active === jobs.length
}

/**
 * Which uploader sends `file`. Every uploader has the shape described in upload.js
 * ((file, {onProgress(loaded, total), signal}) => Promise<{key}>, failing with an error that has a
 * `reason` and `retryable`), so the queue, progress, speed and cancel work the same for all; big
 * files can get their own here.
 */
function uploaderFor(file) {
  const threshold = limits?.multipartThreshold
  return threshold && file.size >= threshold ? uploadMultipart : uploadWithTicket
}

function uploadFiles(files) {
  for (const file of files) queue.add(file, uploaderFor(file), limitProblem(file, limits))
  say(files.length === 1 ? `Uploading ${files[0].name}…` : `Uploading ${files.length} files…`)
}

// ---- signing in and out ---------------------------------------------------------------------

function show(view) {
  el.signIn.hidden = view !== 'sign-in'
  el.signedOut.hidden = view !== 'signed-out'
  el.app.hidden = view !== 'app'
  el.who.hidden = view !== 'app'
}

function showSignedOut() {
  signedIn = false
  for (const job of jobs) queue.cancel(job)
  for (const job of jobs.splice(0)) uploadList.remove(job)
  updateUploadSummary()
  gallery.clear()
  cursor = null
  morePages = true
  el.more.hidden = true
  show(devSignIn ? 'sign-in' : 'signed-out')
}

async function showApp(me) {
  signedIn = true
  limits = me.limits
  setUploadOwner(me.id)
  el.whoName.textContent = me.id
  // Only the dev session can be ended from here; other sign-ins belong to their provider.
  el.signOut.hidden = !devSignIn
  el.limits.textContent = describeLimits(limits)
  const accept = acceptAttribute(limits)
  if (accept) el.fileInput.accept = accept
  else el.fileInput.removeAttribute('accept')
  show('app')
  gallery.clear()
  cursor = null
  morePages = true
  await loadPage()
  // A big upload interrupted by a reload continues when its file is chosen again (multipart.js).
  const unfinished = unfinishedUploads()
  if (unfinished.length) {
    const names = unfinished.map((u) => u.name).join(', ')
    say(`Unfinished upload: ${names}. Choose the same file again to continue where it stopped.`)
  }
}

el.signInForm.addEventListener('submit', async (event) => {
  event.preventDefault()
  const button = el.signInForm.querySelector('button')
  button.disabled = true
  try {
    await api.signIn(el.signInName.value)
    const me = await api.getMe()
    if (!me) throw new Error('the session cookie was not kept (are cookies blocked?)')
    say('')
    await showApp(me)
    el.filesTitle.focus()
  } catch (err) {
    say(`Could not sign in: ${err.message}`, { error: true })
  } finally {
    button.disabled = false
  }
})

el.signOut.addEventListener('click', async () => {
  try {
    await api.signOut()
    showSignedOut()
    say('Signed out.')
    el.signInName.focus()
  } catch (err) {
    report(err, 'Could not sign out')
  }
})

el.fileInput.addEventListener('change', () => {
  const files = [...el.fileInput.files]
  el.fileInput.value = '' // so picking the same file again fires another change
  if (files.length) uploadFiles(files)
})
enableFileDrop({ accepting: () => signedIn, onFiles: uploadFiles })
el.clearFinished.addEventListener('click', () => {
  uploadList.clearFinished(jobs)
  for (let i = jobs.length - 1; i >= 0; i--) if (!['queued', 'uploading'].includes(jobs[i].state)) jobs.splice(i, 1)
  updateUploadSummary()
  el.fileInput.focus()
})
el.more.addEventListener('click', loadPage)
el.selectAll.addEventListener('change', () => gallery.selectAll(el.selectAll.checked))
el.deleteSelected.addEventListener('click', deleteSelected)

async function start() {
  try {
    const [auth, me] = await Promise.all([api.getAuth(), api.getMe()])
    devSignIn = auth.devSignIn
    if (me) await showApp(me)
    else showSignedOut()
  } catch (err) {
    say(`Could not load bucketgate: ${err.message}`, { error: true })
  }
}

start()
