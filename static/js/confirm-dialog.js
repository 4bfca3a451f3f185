// A confirmation asked in the page's own <dialog> (modal, Escape cancels, focus returns to where it
// was), instead of window.confirm, which blocks the page and cannot be styled or labelled.
import { part } from './dom.js'

/**
 * A dialog's `close` event is dispatched a task after it closes, so the next confirmation can open
 * before the last one's event arrives (Enter right after Escape). Each dialog's opening that is still
 * waiting for its event is kept here, to be settled with its own answer when the next one opens.
 * @type {WeakMap<HTMLDialogElement, () => void>}
 */
const waitingForClose = new WeakMap()

/**
 * @param {HTMLDialogElement} dialog the #confirm dialog from index.html
 * @param {{title: string, message: string, confirmLabel: string}} text
 * @returns {Promise<boolean>} true only if the person pressed the confirm button
 */
export function confirmAction(dialog, { title, message, confirmLabel }) {
  waitingForClose.get(dialog)?.()
  part(dialog, '.dialog-title', HTMLElement).textContent = title
  part(dialog, '.dialog-message', HTMLElement).textContent = message
  part(dialog, '.confirm', HTMLButtonElement).textContent = confirmLabel
  dialog.returnValue = ''
  return new Promise((resolve) => {
    const settle = () => {
      dialog.removeEventListener('close', onClose)
      waitingForClose.delete(dialog)
      resolve(dialog.returnValue === 'confirm')
    }
    // An earlier opening's late event finds the dialog open again: not this opening's answer.
    const onClose = () => dialog.open || settle()
    dialog.addEventListener('close', onClose)
    waitingForClose.set(dialog, settle)
    dialog.showModal()
    // The safe choice has focus, so an Enter pressed out of habit deletes nothing.
    part(dialog, '.cancel', HTMLButtonElement).focus()
  })
}
