// Sends one file to the bucket as the multipart POST its ticket describes. XMLHttpRequest, wrapped
// in a Promise, only because fetch cannot report upload progress.

export class UploadError extends Error {}

/** The <Code> and <Message> of an S3 XML error body, when the browser may read it. */
function s3Error(body) {
  if (!body) return {}
  const doc = new DOMParser().parseFromString(body, 'application/xml')
  const text = (tag) => doc.getElementsByTagName(tag)[0]?.textContent?.trim() ?? ''
  return { code: text('Code'), message: text('Message') }
}

function refusal(status, body) {
  const { code, message } = s3Error(body)
  if (code === 'EntityTooLarge' || code === 'EntityTooSmall')
    return 'The storage refused it: not the size the ticket was for'
  if (status === 403) return `The storage refused it${message ? `: ${message}` : ' (the ticket may have expired)'}`
  return `The storage answered ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`
}

/**
 * POSTs `file` with the ticket's fields, in order, then the file last as `file` (S3 ignores
 * fields after it). Resolves on 201, the status the signed policy asks for.
 * @param {(fraction: number) => void} onProgress called with 0..1 as bytes leave the browser
 */
export function uploadFile(file, upload, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData()
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value)
    form.append('file', file)

    const xhr = new XMLHttpRequest()
    xhr.open(upload.method, upload.url)
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total)
    })
    xhr.addEventListener('load', () => {
      if (xhr.status === 201) resolve()
      else reject(new UploadError(refusal(xhr.status, xhr.responseText)))
    })
    // Refusals from some servers (Ceph RGW) carry no CORS headers, so they look like network errors.
    xhr.addEventListener('error', () =>
      reject(new UploadError('The storage refused the upload or could not be reached; try again')),
    )
    xhr.addEventListener('abort', () => reject(new UploadError('Upload cancelled')))
    xhr.send(form)
  })
}
