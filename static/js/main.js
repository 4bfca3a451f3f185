// Page wiring: who is signed in, which uploader sends each file, and what the grid and the upload
// tray are told. The grid is file-browser.js (cards: gallery.js, sort and filter: gallery-view.js),
// the upload tray uploads-panel.js; every /api call goes through api.js, bucket transfers through
// transfer.js (used by upload.js, multipart.js and preview-upload.js); the server's rules, as
// /api/me states them, are applied by limits.js.
import * as api from './api.js'
import { part } from './dom.js'
import { enableFileDrop } from './drop-zone.js'
import { displayName } from './format.js'
import { createFileBrowser } from './file-browser.js'
import { acceptAttribute, describeLimits, limitProblem, showsInline, usesMultipart } from './limits.js'
import { describeUsage, quotaProblem, usageLevel, usedShare } from './usage.js'
import { uploadMultipart } from './multipart.js'
import { uploadWithTicket } from './upload.js'
import { uploadMemory } from './upload-memory.js'
import { createUploadsPanel } from './uploads-panel.js'
import { createShareDialog } from './share-dialog.js'
import { createSharesView } from './shares-view.js'
import { withPreview } from './preview-upload.js'

/** How long signing out waits for cancelled uploads to clean up on the server, in ms. */
const SIGN_OUT_WAIT_MS = 5_000

/**
 * The element with this id, checked to be of `type` (HTMLElement unless said).
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {abstract new (...args: any[]) => T} [type]
 * @returns {T}
 */
const $ = (id, type) => part(document, `#${id}`, type ?? /** @type {any} */ (HTMLElement))
const el = {
  message: $('message'),
  announce: $('announce'),
  who: $('who'),
  whoName: $('who-name'),
  signOut: $('sign-out', HTMLButtonElement),
  signIn: $('sign-in'),
  signInForm: $('sign-in-form', HTMLFormElement),
  signInName: $('sign-in-name', HTMLInputElement),
  signedOut: $('signed-out'),
  app: $('app'),
  fileInput: $('file-input', HTMLInputElement),
  limits: $('limits'),
  usage: $('usage'),
  usageMeter: $('usage-meter', HTMLMeterElement),
  usageText: $('usage-text'),
  filesTitle: $('files-title'),
}

let devSignIn = false
let signedIn = false
/** The signed-in user's limits from /api/me. @type {api.Limits | null} */
let limits = null
/** The signed-in user's storage use from /api/me; null when the server keeps no ledger. @type {import('./usage.js').Usage | null} */
let usage = null
/** Files accepted for upload since `usage` was read, so a batch cannot overfill the quota either. */
let queued = { bytes: 0, files: 0 }
/** The "Uploads finished; N failed" line while it is shown, so clearing those rows can take it back. */
let failureOutcome = ''

/**
 * @param {string} text
 * @param {{error?: boolean}} [opts]
 */
function say(text, { error = false } = {}) {
  el.message.textContent = text
  el.message.classList.toggle('is-error', error)
}

/** What went wrong, in words: an Error's message, or the thing itself. @param {unknown} err */
const messageOf = (err) => (err instanceof Error ? err.message : String(err))

/**
 * A 401 part-way through means the session ended; anything else is reported as it came.
 * @param {unknown} err
 * @param {string} doing
 */
function report(err, doing) {
  if (err instanceof api.ApiError && err.status === 401) {
    showSignedOut()
    say('Your session has ended; please sign in again.', { error: true })
  } else {
    say(`${doing}: ${messageOf(err)}`, { error: true })
  }
}

// ---- storage used ---------------------------------------------------------------------------

/** @param {import('./usage.js').Usage | null} next */
function showUsage(next) {
  usage = next
  queued = { bytes: 0, files: 0 }
  el.usage.hidden = !usage
  if (!usage) return
  const share = usedShare(usage)
  el.usageMeter.hidden = share === null
  el.usageMeter.value = share ?? 0
  el.usageText.textContent = describeUsage(usage)
  el.usage.dataset.level = usageLevel(usage)
}

/** After uploads or deletes: the server's count is the truth (it confirms and releases). */
async function refreshUsage() {
  try {
    const me = await api.getMe()
    if (me) showUsage(me.usage ?? null)
  } catch {
    // The bar stays as it was; the next upload or delete tries again.
  }
}

// A rate-limited call waits and goes again by itself (api.js); say why nothing moves meanwhile.
api.onRateLimited((seconds) => say(`The server asked us to slow down; continuing in ${seconds} s…`))

// ---- the grid -------------------------------------------------------------------------------

const fileBrowser = createFileBrowser({
  el: {
    grid: $('grid'),
    empty: $('empty'),
    noMatch: $('no-match'),
    more: $('more', HTMLButtonElement),
    filesTitle: el.filesTitle,
    sort: $('sort', HTMLSelectElement),
    filter: $('filter', HTMLInputElement),
    selectionBar: $('selection-bar'),
    selectAll: $('select-all', HTMLInputElement),
    selectionCount: $('selection-count'),
    deleteSelected: $('delete-selected', HTMLButtonElement),
    confirm: $('confirm', HTMLDialogElement),
  },
  template: $('file-card', HTMLTemplateElement),
  say,
  report,
  showsInline: (name) => (limits ? showsInline(name, limits) : false),
  onDeleted: refreshUsage,
})

// ---- share links ----------------------------------------------------------------------------

const sharesView = createSharesView({
  el: {
    table: $('shares-table', HTMLTableElement),
    rows: $('shares-rows'),
    empty: $('shares-empty'),
    refresh: $('shares-refresh', HTMLButtonElement),
    title: $('shares-title'),
    confirm: $('confirm', HTMLDialogElement),
  },
  template: $('share-row', HTMLTemplateElement),
  say,
  report,
})
const shareDialog = createShareDialog({
  dialog: $('share-dialog', HTMLDialogElement),
  onCreated: () => sharesView.load(),
  maxSeconds: () => limits?.shareMaxSeconds ?? undefined,
})
// Each card's Share button (gallery.js draws the cards; one listener here serves them all).
$('grid').addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('button.share') : null
  const key = button?.closest('li')?.getAttribute('data-key')
  if (key) shareDialog.open({ key, name: displayName(key) })
})

// ---- uploads --------------------------------------------------------------------------------

const uploads = createUploadsPanel({
  tray: {
    tray: $('tray'),
    toggle: $('tray-toggle', HTMLButtonElement),
    body: $('tray-body'),
    progress: $('tray-progress', HTMLProgressElement),
    totals: $('tray-totals'),
  },
  list: $('uploads'),
  template: $('upload-row', HTMLTemplateElement),
  head: $('uploads-head'),
  summary: $('upload-summary'),
  clearFinished: $('clear-finished', HTMLButtonElement),
  announce: el.announce,
  fileInput: el.fileInput,
  onUploaded: (job) => {
    // The list entry's presigned url is not known yet; the download route redirects to one.
    const { key, preview } = /** @type {{key: string, preview?: Blob}} */ (job.result) // set for every job done
    fileBrowser.addUploaded({
      key,
      name: displayName(key),
      size: job.file.size,
      lastModified: new Date().toISOString(),
      url: api.fileUrl(key),
      preview, // shown from memory: no request for it
    })
  },
  onAllSettled: (failed) => {
    // The message sits at the top, the tray with the rows (open after a failure) at the bottom.
    failureOutcome = failed ? `Uploads finished; ${failed} failed (reasons listed below).` : ''
    say(failureOutcome || 'Uploads finished.', { error: failed > 0 })
    refreshUsage()
  },
  onFailuresCleared: () => {
    // Only if nothing else has been said since: the rows it pointed at are gone.
    if (failureOutcome && el.message.textContent === failureOutcome) say('')
    failureOutcome = ''
  },
})

/**
 * Which uploader sends `file`. Every uploader has the shape described in upload.js
 * ((file, {onProgress(loaded, total), signal}) => Promise<{key}>, failing with an error that has a
 * `reason` and `retryable`), so the queue, progress, speed and cancel work the same for all; big
 * files can get their own here. Each is followed by the file's preview when the server takes them.
 * @param {File} file
 */
function uploaderFor(file) {
  const uploader = limits && usesMultipart(file, limits) ? uploadMultipart : uploadWithTicket
  return limits?.thumbnailMaxBytes ? withPreview(uploader, limits.thumbnailMaxBytes) : uploader
}

/** @param {File[]} files */
function uploadFiles(files) {
  if (!limits) return // not signed in: drop-zone.js does not hand files over then
  // Said first: files the page refuses settle at once, and their outcome must not be overwritten.
  say(files.length === 1 ? `Uploading ${files[0].name}…` : `Uploading ${files.length} files…`)
  for (const file of files) {
    const problem = limitProblem(file, limits) ?? (usage ? quotaProblem(file, usage, queued) : null)
    if (!problem) queued = { bytes: queued.bytes + file.size, files: queued.files + 1 }
    uploads.add(file, uploaderFor(file), problem)
  }
}

// ---- signing in and out ---------------------------------------------------------------------

/** @param {'sign-in' | 'signed-out' | 'app'} view */
function show(view) {
  el.signIn.hidden = view !== 'sign-in'
  el.signedOut.hidden = view !== 'signed-out'
  el.app.hidden = view !== 'app'
  el.who.hidden = view !== 'app'
}

function showSignedOut() {
  signedIn = false
  fileBrowser.clear()
  sharesView.clear()
  uploads.forgetAll()
  show(devSignIn ? 'sign-in' : 'signed-out')
}

/** @param {{id: string, limits: api.Limits, usage?: import('./usage.js').Usage | null}} me */
async function showApp(me) {
  signedIn = true
  limits = me.limits
  showUsage(me.usage ?? null)
  uploadMemory.setOwner(me.id)
  el.whoName.textContent = me.id
  // Only the dev session can be ended from here; other sign-ins belong to their provider.
  el.signOut.hidden = !devSignIn
  el.limits.textContent = describeLimits(limits)
  const accept = acceptAttribute(limits)
  if (accept) el.fileInput.accept = accept
  else el.fileInput.removeAttribute('accept')
  show('app')
  // Without share links on the server, no Share buttons and no Shared links table.
  const sharing = typeof limits.shareMaxSeconds === 'number'
  $('shares').hidden = !sharing
  document.body.classList.toggle('no-sharing', !sharing)
  await Promise.all([fileBrowser.reset(), sharing && sharesView.load()])
  // A big upload interrupted by a reload continues when its file is chosen again (multipart.js).
  const unfinished = uploadMemory.unfinished()
  if (unfinished.length) {
    const names = unfinished.map((u) => u.name).join(', ')
    say(`Unfinished upload: ${names}. Choose the same file again to continue where it stopped.`)
  }
}

el.signInForm.addEventListener('submit', async (event) => {
  event.preventDefault()
  const button = part(el.signInForm, 'button', HTMLButtonElement)
  button.disabled = true
  try {
    await api.signIn(el.signInName.value)
    const me = await api.getMe()
    if (!me) throw new Error('the session cookie was not kept (are cookies blocked?)')
    say('')
    await showApp(me)
    el.filesTitle.focus()
  } catch (err) {
    say(`Could not sign in: ${messageOf(err)}`, { error: true })
  } finally {
    button.disabled = false
  }
})

el.signOut.addEventListener('click', async () => {
  try {
    // Cancel first: a cancelled multipart upload aborts itself on the server, which needs the session.
    // Bounded, so a storage that does not answer cannot keep anyone signed in.
    await Promise.race([uploads.forgetAll(), new Promise((resolve) => setTimeout(resolve, SIGN_OUT_WAIT_MS))])
    await api.signOut()
    showSignedOut()
    say('Signed out.')
    el.signInName.focus()
  } catch (err) {
    report(err, 'Could not sign out')
  }
})

el.fileInput.addEventListener('change', () => {
  const files = [...(el.fileInput.files ?? [])]
  el.fileInput.value = '' // so picking the same file again fires another change
  if (files.length) uploadFiles(files)
})
enableFileDrop({ accepting: () => signedIn, onFiles: uploadFiles })

async function start() {
  try {
    const [auth, me] = await Promise.all([api.getAuth(), api.getMe()])
    devSignIn = auth.devSignIn
    if (me) await showApp(me)
    else showSignedOut()
  } catch (err) {
    say(`Could not load bucketgate: ${messageOf(err)}`, { error: true })
  }
}

start()
