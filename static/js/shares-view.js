// The Shares view: each of the caller's links with its file, when it was made and ends, downloads
// against its limit, its state, and Revoke (after a confirmation). Rows come from the <template>
// in index.html; names reach the DOM only through textContent.
import * as api from './api.js'
import { confirmAction } from './confirm-dialog.js'
import { cloneTemplate, part } from './dom.js'
import { humanDate } from './format.js'
import { STATE_LABELS, downloadsLabel } from './share-choices.js'

/**
 * A share as GET /api/shares lists it.
 * @typedef {{id: string, key: string, name: string, size: number, createdAt: string, expiresAt: string,
 *   maxDownloads: number | null, downloads: number, hasPassword: boolean,
 *   state: keyof typeof STATE_LABELS}} Share
 */

/**
 * @param {HTMLTimeElement} time
 * @param {string} iso
 */
function showDate(time, iso) {
  time.dateTime = iso
  time.textContent = humanDate(iso)
}

/**
 * @param {{el: {table: HTMLTableElement, rows: HTMLElement, empty: HTMLElement, refresh: HTMLButtonElement,
 *   title: HTMLElement, confirm: HTMLDialogElement}, template: HTMLTemplateElement,
 *   say: (text: string, opts?: {error?: boolean}) => void, report: (err: unknown, doing: string) => void}} opts
 */
export function createSharesView({ el, template, say, report }) {
  /** Counts loads and clears, so an answer for an earlier user or an older load is dropped. */
  let generation = 0

  /** @param {Share} share */
  function row(share) {
    const tr = cloneTemplate(template)
    tr.dataset.id = share.id
    const file = part(tr, '.share-file', HTMLElement)
    file.textContent = share.name
    file.title = share.key
    showDate(part(tr, '.share-created', HTMLTimeElement), share.createdAt)
    showDate(part(tr, '.share-expires', HTMLTimeElement), share.expiresAt)
    part(tr, '.share-downloads', HTMLElement).textContent = downloadsLabel(share)
    const state = part(tr, '.share-state', HTMLElement)
    state.textContent = STATE_LABELS[share.state] ?? share.state
    state.dataset.state = share.state
    const revoke = part(tr, '.revoke', HTMLButtonElement)
    if (share.state === 'active') {
      revoke.setAttribute('aria-label', `Revoke the link to ${share.name}`)
      revoke.addEventListener('click', () => revokeOne(share, revoke))
    } else {
      revoke.remove() // a link that no longer works has nothing to take back
    }
    return tr
  }

  /**
   * @param {Share} share
   * @param {HTMLButtonElement} button
   */
  async function revokeOne(share, button) {
    const ok = await confirmAction(el.confirm, {
      title: 'Revoke this link?',
      message: `The link to “${share.name}” will stop working at once, for everyone who has it.`,
      confirmLabel: 'Revoke',
    })
    if (!ok) return
    button.disabled = true
    try {
      await api.revokeShare(share.id)
      say(`Revoked the link to ${share.name}.`)
    } catch (err) {
      button.disabled = false
      return report(err, `Could not revoke the link to ${share.name}`)
    }
    await load()
    el.title.focus()
  }

  async function load() {
    const asked = ++generation
    el.table.setAttribute('aria-busy', 'true')
    try {
      const { shares } = /** @type {{shares: Share[]}} */ (await api.listShares())
      if (asked !== generation) return
      el.rows.replaceChildren(...shares.map(row))
      el.table.hidden = shares.length === 0
      el.empty.hidden = shares.length > 0
    } catch (err) {
      if (asked === generation) report(err, 'Could not list your shared links')
    } finally {
      if (asked === generation) el.table.removeAttribute('aria-busy')
    }
  }

  el.refresh.addEventListener('click', load)

  return {
    load,
    /** Forgets what is shown (signing out). */
    clear() {
      generation++
      el.rows.replaceChildren()
      el.table.hidden = true
      el.empty.hidden = true
    },
  }
}
