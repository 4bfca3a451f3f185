// `npm run dev` with no settings does what the product does: a newcomer's first multi-file upload,
// a 30 MB single POST and a 120 MB multipart upload through the page, downloaded back byte for byte;
// a second `npm run dev` on the same port says which setting to change instead of crashing.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePorts } from '../../scripts/lib/ports.mjs'
import { ROOT } from '../../scripts/lib/wrangler-dev.mjs'
import { describeBrowser, fileCard, openSession, uploadRow, type Session } from './browser'
import { pdf, png, text } from './fixtures'
import { sha256 } from './s3'

/** How long `npm run dev` gets to print its ready line, in ms (Ceph RGW and wrangler start together). */
const READY_TIMEOUT_MS = 180_000
const MB = 1000 * 1000
/** A developer's .dev.vars would change what "no settings" means (and might name a real bucket). */
const HAS_DEV_VARS = existsSync(join(ROOT, '.dev.vars'))

const describeDev = HAS_DEV_VARS ? describe.skip : describeBrowser

type Dev = { child: ChildProcess; output: () => string; exited: Promise<number | null> }

/** scripts/dev.mjs as `npm run dev -- --port <port>` runs it, in its own process group. */
function runDev(port: number): Dev {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', 'scripts/dev.mjs', '--port', String(port)], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '', DEV_S3: 'rgw' },
  })
  let log = ''
  child.stdout!.on('data', (d) => (log += d))
  child.stderr!.on('data', (d) => (log += d))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, output: () => log, exited }
}

async function stopDev(dev: Dev) {
  try {
    process.kill(-dev.child.pid!, 'SIGINT') // as Ctrl+C: the script stops wrangler and RGW itself
  } catch {
    return
  }
  const timer = setTimeout(() => process.kill(-dev.child.pid!, 'SIGKILL'), 30_000)
  await dev.exited
  clearTimeout(timer)
}

/** Waits for the upload row of `name` to reach done, for up to `ms` (the big ones take a while). */
async function uploaded(session: Session, name: string, ms: number) {
  const row = uploadRow(session.page, name)
  const state = async () =>
    `${await row.getAttribute('data-state')}: ${await row.locator('.upload-state').textContent()}`
  await expect.poll(state, { timeout: ms }).toMatch(/^(done|failed):/)
  expect(await state(), name).toMatch(/^done:/)
}

describeDev('npm run dev with no settings', () => {
  let port: number
  let dev: Dev
  let dir: string
  let session: Session

  beforeAll(async () => {
    ;[port] = await freePorts(1)
    dir = await mkdtemp(join(tmpdir(), 'bucketgate-dev-test-'))
    dev = runDev(port)
    const deadline = Date.now() + READY_TIMEOUT_MS
    while (!/bucketgate: ready at/.test(dev.output())) {
      if (dev.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`npm run dev did not get ready:\n${dev.output()}`)
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    session = await openSession()
    await session.signIn({ url: `http://localhost:${port}` }, 'newcomer')
  }, READY_TIMEOUT_MS + 30_000)
  afterAll(async () => {
    await session?.close()
    if (dev) await stopDev(dev)
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('names the setting to change when its port is taken', async () => {
    const second = runDev(port)
    expect(await second.exited).toBe(1)
    expect(second.output()).toContain(`port ${port} is already in use`)
    expect(second.output()).toContain(`npm run dev -- --port ${port + 1}`)
    expect(second.output()).not.toMatch(/EADDRINUSE|\n\s+at /)
  })

  it('uploads a first handful of files, a 30 MB file and a 120 MB file, and gives the same bytes back', async () => {
    const { page } = session
    const small = [png('first.png'), pdf('first.pdf'), text('first.txt')]
    await page.locator('#file-input').setInputFiles(small)
    for (const f of small) await uploaded(session, f.name, 30_000)

    // Big files go to disk: playwright hands a file over by path, not as a buffer, above 50 MB. They
    // are named .pdf, a type the default UPLOAD_ALLOWED_TYPES accepts (the bytes are not checked).
    const big = [
      { name: 'single-post.pdf', size: 30 * MB },
      { name: 'multipart.pdf', size: 120 * MB },
    ]
    const hashes = new Map(small.map((f) => [f.name, sha256(f.buffer)]))
    for (const f of big) {
      const bytes = randomBytes(f.size)
      hashes.set(f.name, sha256(bytes))
      await writeFile(join(dir, f.name), bytes)
    }
    await page.locator('#file-input').setInputFiles(big.map((f) => join(dir, f.name)))
    for (const f of big) await uploaded(session, f.name, 240_000)

    await page.reload()
    for (const [name, hash] of hashes) {
      await fileCard(page, name).waitFor()
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 120_000 }),
        fileCard(page, name)
          .getByRole('link', { name: `Download ${name}` })
          .click(),
      ])
      expect(sha256(await readFile((await download.path())!)), name).toBe(hash)
    }
    session.assertNoProblems()
  }, 600_000)
})
