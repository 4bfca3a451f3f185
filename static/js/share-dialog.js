// The Share dialog: expiry (1 hour, 1 day, 7 days or custom hours), an optional download limit and
// password, then the new link with a Copy button (Clipboard API; where that is refused, the link is
// selected for copying by hand). Names reach the DOM only through textContent.
import * as api from './api.js'
import { part } from './dom.js'
import { humanDate } from './format.js'
import { createdSummary, expiryChoice, limitChoice } from './share-choices.js'

/**
 * @param {{dialog: HTMLDialogElement, onCreated: () => void, maxSeconds: () => number | undefined}} opts
 *   maxSeconds: the server's longest expiry (/api/me), so longer choices are disabled
 */
export function createShareDialog({ dialog, onCreated, maxSeconds }) {
  const form = part(dialog, '#share-form', HTMLFormElement)
  const fileName = part(dialog, '#share-file-name', HTMLElement)
  const customHours = part(dialog, '#share-custom-hours', HTMLInputElement)
  const limit = part(dialog, '#share-limit', HTMLInputElement)
  const password = part(dialog, '#share-password', HTMLInputElement)
  const problem = part(dialog, '#share-problem', HTMLElement)
  const create = part(dialog, '#share-create', HTMLButtonElement)
  const result = part(dialog, '#share-result', HTMLElement)
  const url = part(dialog, '#share-url', HTMLInputElement)
  const summary = part(dialog, '#share-summary', HTMLElement)
  const copied = part(dialog, '#share-copied', HTMLElement)
  const copy = part(dialog, '#share-copy', HTMLButtonElement)
  const radios = /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll('input[name="expiry"]')])

  /** The file being shared. @type {{key: string, name: string} | null} */
  let file = null
  /** Where focus was when the dialog opened; it goes back there on close. @type {HTMLElement | null} */
  let opener = null

  const choice = () => radios.find((r) => r.checked)?.value ?? '3600'

  form.addEventListener('change', () => {
    customHours.disabled = choice() !== 'custom'
  })

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    if (!file) return
    const expiry = expiryChoice(choice(), customHours.value)
    const limited = limitChoice(limit.value)
    if ('problem' in expiry) return void (problem.textContent = expiry.problem)
    if ('problem' in limited) return void (problem.textContent = limited.problem)
    problem.textContent = ''
    const hasPassword = password.value !== ''
    create.disabled = true
    try {
      const created = await api.createShare({
        key: file.key,
        expiresIn: expiry.seconds,
        maxDownloads: limited.maxDownloads,
        password: hasPassword ? password.value : undefined,
      })
      password.value = ''
      form.hidden = true
      result.hidden = false
      url.value = created.url
      summary.textContent = createdSummary(created, hasPassword, humanDate)
      copy.focus()
      onCreated()
    } catch (err) {
      problem.textContent = `Could not create the link: ${err instanceof Error ? err.message : String(err)}`
    } finally {
      create.disabled = false
    }
  })

  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(url.value)
      copied.textContent = 'Link copied.'
    } catch {
      // No clipboard access (permissions, an old browser): leave the link selected to copy by hand.
      url.focus()
      url.select()
      copied.textContent = 'The link is selected: copy it with Ctrl+C (⌘C on a Mac).'
    }
  })

  for (const close of dialog.querySelectorAll('[data-close]')) close.addEventListener('click', () => dialog.close())
  dialog.addEventListener('close', () => {
    file = null
    opener?.focus()
    opener = null
  })

  return {
    /** @param {{key: string, name: string}} target */
    open(target) {
      file = target
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
      form.reset()
      customHours.disabled = true
      const max = maxSeconds()
      for (const radio of radios) radio.disabled = max !== undefined && Number(radio.value) > max
      customHours.max = max === undefined ? '' : String(Math.floor(max / 3600))
      fileName.textContent = `“${target.name}”`
      problem.textContent = ''
      copied.textContent = ''
      form.hidden = false
      result.hidden = true
      dialog.showModal()
      radios[0].focus()
    },
  }
}
