// Drag and drop of files anywhere on the page. While files are dragged over it, <body> carries
// `is-dragging` (the CSS shows a "drop to upload" overlay). A drop outside a signed-in page is
// still caught, so the browser never navigates away to show the dropped file.

const hasFiles = (/** @type {DragEvent} */ event) => [...(event.dataTransfer?.types ?? [])].includes('Files')

/** @param {{accepting: () => boolean, onFiles: (files: File[]) => void}} opts */
export function enableFileDrop({ accepting, onFiles }) {
  let depth = 0 // dragenter/dragleave fire for every child element crossed
  const setDragging = (/** @type {boolean} */ on) => document.body.classList.toggle('is-dragging', on && accepting())

  window.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return
    event.preventDefault()
    depth++
    setDragging(true)
  })
  window.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return
    event.preventDefault()
    if (event.dataTransfer) event.dataTransfer.dropEffect = accepting() ? 'copy' : 'none'
  })
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1)
    if (depth === 0) setDragging(false)
  })
  window.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return
    event.preventDefault()
    depth = 0
    setDragging(false)
    const files = [...(event.dataTransfer?.files ?? [])]
    if (files.length && accepting()) onFiles(files)
  })
}
