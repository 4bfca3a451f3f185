// Page wiring: who is signed in, the upload queue and the file grid. Network calls live in api.js
// and upload.js, card building in gallery.js, pure helpers in format.js and limits.js.
import * as api from './api.js'
import { displayName } from './format.js'
import { createGallery } from './gallery.js'
import { acceptAttribute, describeLimits, limitProblem, uploadType } from './limits.js'
import { uploadFile } from './upload.js'

/** Files asked for per page of the grid. */
const PAGE_SIZE = 30
/** Uploads in flight at once; each asks for its ticket just before sending, as tickets expire. */
const PARALLEL_UPLOADS = 3

const $ = (id) => document.getElementById(id)
const el = {
  message: $('message'),
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
  uploads: $('uploads'),
  uploadRow: $('upload-row'),
  filesTitle: $('files-title'),
  more: $('more'),
}

let devSignIn = false
let limits = null
let cursor = null

const gallery = createGallery({ grid: $('grid'), empty: $('empty'), template: $('file-card'), onDelete: deleteFile })

function say(text, { error = false } = {}) {
  el.message.textContent = text
  el.message.classList.toggle('is-error', error)
}

function show(view) {
  el.signIn.hidden = view !== 'sign-in'
  el.signedOut.hidden = view !== 'signed-out'
  el.app.hidden = view !== 'app'
  el.who.hidden = view !== 'app'
}

function showSignedOut() {
  gallery.clear()
  el.uploads.replaceChildren()
  show(devSignIn ? 'sign-in' : 'signed-out')
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

async function loadPage() {
  el.more.disabled = true
  try {
    const page = await api.listFiles(cursor, PAGE_SIZE)
    gallery.append(page.files)
    cursor = page.cursor
    el.more.hidden = !cursor
  } catch (err) {
    report(err, 'Could not list your files')
  } finally {
    el.more.disabled = false
  }
}

async function showApp(me) {
  limits = me.limits
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
  await loadPage()
}

function uploadRow(file) {
  const row = el.uploadRow.content.firstElementChild.cloneNode(true)
  const progress = row.querySelector('progress')
  const state = row.querySelector('.upload-state')
  row.querySelector('.upload-name').textContent = file.name
  progress.setAttribute('aria-label', `Upload of ${file.name}`)
  state.textContent = 'Waiting'
  row.dataset.name = file.name
  row.dataset.state = 'queued'
  el.uploads.append(row)
  return {
    progress(fraction) {
      row.dataset.state = 'uploading'
      progress.value = fraction
      state.textContent = `${Math.round(fraction * 100)}%`
    },
    finish(ok, text) {
      row.classList.add(ok ? 'is-done' : 'is-failed')
      row.dataset.state = ok ? 'done' : 'failed'
      if (ok) progress.value = 1
      else progress.hidden = true
      state.textContent = text
    },
  }
}

async function uploadOne(file, row) {
  const problem = limitProblem(file, limits)
  if (problem) {
    row.finish(false, problem)
    return false
  }
  try {
    const ticket = await api.requestTicket({ name: file.name, type: uploadType(file), size: file.size })
    row.progress(0)
    await uploadFile(file, ticket.upload, row.progress)
    row.finish(true, 'Done')
    // The list entry's presigned url is not known yet; the download route redirects to one.
    const url = api.fileUrl(ticket.key)
    gallery.prepend({
      key: ticket.key,
      name: displayName(ticket.key),
      size: file.size,
      lastModified: new Date().toISOString(),
      url,
    })
    return true
  } catch (err) {
    row.finish(false, `Failed: ${err.message}`)
    return false
  }
}

async function uploadAll(files) {
  const queue = files.map((file) => ({ file, row: uploadRow(file) }))
  let failed = 0
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      if (!(await uploadOne(job.file, job.row))) failed++
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, files.length) }, worker))
  const done = files.length - failed
  say(failed ? `Uploaded ${done} of ${files.length}; ${failed} failed (reasons listed above).` : `Uploaded ${done}.`, {
    error: failed > 0,
  })
}

async function deleteFile(file, button) {
  if (!confirm(`Delete "${file.name}"? This cannot be undone.`)) return
  button.disabled = true
  try {
    await api.deleteFile(file.key)
    say(`Deleted ${file.name}.`)
  } catch (err) {
    if (!(err instanceof api.ApiError && err.status === 404)) {
      button.disabled = false
      return report(err, `Could not delete ${file.name}`)
    }
    say(`${file.name} was already gone.`)
  }
  gallery.remove(file.key)
  // The focused button has gone with its card; keep keyboard users in the grid.
  el.filesTitle.focus()
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
  if (files.length) uploadAll(files)
})

el.more.addEventListener('click', loadPage)

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
