// The Uppy browser tests' page script, bundled with esbuild at test time: the example's own setup
// (examples/uppy/uppy.js) plus a small harness the tests drive through page.evaluate.
import { createUppy } from '../../../examples/uppy/uppy.js'

/** `size` bytes from a xorshift seeded with `seed`: the same file every time, no transfer from Node. */
function bytesOf(size, seed) {
  const bytes = new Uint8Array(size)
  let x = seed >>> 0 || 1
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    bytes[i] = x & 255
  }
  return bytes
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('')
}

window.harness = {
  events: [],
  async start() {
    const uppy = await createUppy('/api')
    window.uppy = uppy
    uppy.on('s3-multipart:part-uploaded', (file, part) => this.events.push(`${file.name} part ${part.PartNumber}`))
    uppy.on('upload-error', (file, err) => this.events.push(`${file.name} error ${err.message}`))
  },
  async add(name, type, size, seed) {
    const bytes = bytesOf(size, seed)
    const id = window.uppy.addFile({ name, type, data: new Blob([bytes], { type }) })
    return { id, sha: await sha256Hex(bytes) }
  },
  /** Starts the upload; `finished()` resolves with what Uppy reports when it settles. */
  upload() {
    this.running = window.uppy.upload().then((result) => ({
      successful: (result?.successful ?? []).map((f) => ({ name: f.name, body: f.response.body })),
      failed: (result?.failed ?? []).map((f) => ({ name: f.name, error: String(f.error) })),
    }))
  },
  finished() {
    return this.running
  },
}
