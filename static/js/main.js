// Page wiring: who is signed in, which uploader sends each file, and what the grid and the upload
// panel are told. The grid is file-browser.js (cards: gallery.js), the upload panel uploads-panel.js;
// network calls live in api.js, upload.js, transfer.js and multipart.js; pure helpers in format.js,
// limits.js and upload-errors.js.
import * as api from './api.js'
import { enableFileDrop } from './drop-zone.js'
import { displayName } from './format.js'
import { createFileBrowser } from './file-browser.js'
import { acceptAttribute, describeLimits, limitProblem } from './limits.js'
import { setUploadOwner, unfinishedUploads, uploadMultipart } from './multipart.js'
import { uploadWithTicket } from './upload.js'
import { createUploadsPanel } from './uploads-panel.js'

/** How long signing out waits for cancelled uploads to clean up on the server, in ms. */
const SIGN_OUT_WAIT_MS = 5_000

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
  filesTitle: $('files-title'),
}

let devSignIn = false
let signedIn = false
let limits = null

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

const fileBrowser = createFileBrowser({
  el: {
    grid: $('grid'),
    empty: $('empty'),
    more: $('more'),
    filesTitle: el.filesTitle,
    selectionBar: $('selection-bar'),
    selectAll: $('select-all'),
    selectionCount: $('selection-count'),
    deleteSelected: $('delete-selected'),
    confirm: $('confirm'),
  },
  template: $('file-card'),
  say,
  report,
})

// ---- uploads --------------------------------------------------------------------------------

const uploads = createUploadsPanel({
  list: $('uploads'),
  template: $('upload-row'),
  head: $('uploads-head'),
  summary: $('upload-summary'),
  clearFinished: $('clear-finished'),
  announce: el.announce,
  fileInput: el.fileInput,
  onUploaded: (job) => {
    // The list entry's presigned url is not known yet; the download route redirects to one.
    const key = job.result.key
    fileBrowser.addUploaded({
      key,
      name: displayName(key),
      size: job.file.size,
      lastModified: new Date().toISOString(),
      url: api.fileUrl(key),
    })
  },
  onAllSettled: (failed) =>
    say(failed ? `Uploads finished; ${failed} failed (reasons listed above).` : 'Uploads finished.', {
      error: failed > 0,
    }),
})

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
  for (const file of files) uploads.add(file, uploaderFor(file), limitProblem(file, limits))
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
  fileBrowser.clear()
  uploads.forgetAll()
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
  await fileBrowser.reset()
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
  const files = [...el.fileInput.files]
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
    say(`Could not load bucketgate: ${err.message}`, { error: true })
  }
}

start()
