// The example page: pick files, upload them through bucketgate, list what arrived.
import { createUppy } from './uppy.js'

const uppy = await createUppy()
const input = document.querySelector('#files')
const log = document.querySelector('#log')
input.addEventListener('change', () => {
  for (const file of input.files) uppy.addFile({ name: file.name, type: file.type, data: file })
  uppy.upload()
})
uppy.on('upload-success', (file, res) => log.append(`${file.name} → ${res.body.key}\n`))
uppy.on('upload-error', (file, err) => log.append(`${file.name}: ${err.message}\n`))
