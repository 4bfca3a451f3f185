// The Uppy browser tests' page script, bundled with esbuild at test time: the example's own setup
// (examples/uppy/uppy.js) plus a small harness the tests drive through page.evaluate.
import GoldenRetriever from '@uppy/golden-retriever'
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

/** Uppy's upload result as plain data. */
function settled(result) {
  return {
    successful: (result?.successful ?? []).map((f) => ({
      name: f.name,
      body: f.response?.body,
      uploadURL: f.uploadURL ?? f.response?.uploadURL,
    })),
    failed: (result?.failed ?? []).map((f) => ({ name: f.name, error: String(f.error) })),
  }
}

window.harness = {
  events: [],
  /** `goldenRetriever`: also keep files and upload state across reloads (localStorage and IndexedDB). */
  async start({ goldenRetriever = false } = {}) {
    const uppy = await createUppy('/api')
    window.uppy = uppy
    uppy.on('s3-multipart:part-uploaded', (file, part) => this.events.push(`${file.name} part ${part.PartNumber}`))
    uppy.on('upload-error', (file, err) => this.events.push(`${file.name} error ${err.message}`))
    if (goldenRetriever) {
      this.restored = new Promise((resolve) => uppy.once('restored', resolve))
      // Its IndexedDB store keeps files up to 10 MiB by default; the test's file is bigger.
      // Golden Retriever saves its state at most every 500 ms; a reload inside that window would
      // lose the uploadId and start over. Uppy's own tests turn the throttle off with this hook.
      GoldenRetriever[Symbol.for('uppy test: throttleTime')] = 0
      uppy.use(GoldenRetriever, { indexedDB: { maxFileSize: 64 * 1024 * 1024 } })
    }
  },
  /** After a reload: waits for Golden Retriever's restore, confirms it, and settles with the upload. */
  async resumeRestored() {
    await this.restored
    const complete = new Promise((resolve) => window.uppy.once('complete', resolve))
    window.uppy.emit('restore-confirmed')
    return settled(await complete)
  },
  async add(name, type, size, seed) {
    const bytes = bytesOf(size, seed)
    const id = window.uppy.addFile({ name, type, data: new Blob([bytes], { type }) })
    return { id, sha: await sha256Hex(bytes) }
  },
  /** Starts the upload; `finished()` resolves with what Uppy reports when it settles. */
  upload() {
    this.running = window.uppy.upload().then(settled)
  },
  finished() {
    return this.running
  },
}
