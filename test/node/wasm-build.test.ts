// The committed SHA-256 WebAssembly is exactly what its AssemblyScript source builds to, so a change
// to one without the other (or a hand-edited binary) fails here rather than in production.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const WASM = 'src/signing/wasm/sha256x4.wasm'

it('src/signing/wasm/sha256x4.wasm is `npm run build:wasm` of its source', async () => {
  const script = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).scripts['build:wasm'] as string
  const [command, ...args] = script.split(' ')
  const out = args.indexOf('-o')
  expect(command).toBe('asc')
  expect(args[out + 1]).toBe(WASM)
  const dir = await mkdtemp(join(tmpdir(), 'bucketgate-wasm-'))
  try {
    args[out + 1] = join(dir, 'built.wasm')
    await promisify(execFile)(join(root, 'node_modules/.bin/asc'), args, { cwd: root })
    const built = await readFile(join(dir, 'built.wasm'))
    expect(built.length).toBeGreaterThan(500)
    expect(Buffer.compare(built, await readFile(join(root, WASM))), 'run `npm run build:wasm` and commit').toBe(0)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
