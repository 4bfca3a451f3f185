// A confirmation asked in the page's own <dialog> (modal, Escape cancels, focus returns to where it
// was), instead of window.confirm, which blocks the page and cannot be styled or labelled.

/**
 * @param {HTMLDialogElement} dialog the #confirm dialog from index.html
 * @returns {Promise<boolean>} true only if the person pressed the confirm button
 */
export function confirmAction(dialog, { title, message, confirmLabel }) {
  dialog.querySelector('.dialog-title').textContent = title
  dialog.querySelector('.dialog-message').textContent = message
  dialog.querySelector('.confirm').textContent = confirmLabel
  dialog.returnValue = ''
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true })
    dialog.showModal()
    // The safe choice has focus, so an Enter pressed out of habit deletes nothing.
    dialog.querySelector('.cancel').focus()
  })
}
