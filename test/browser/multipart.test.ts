// Multipart uploads in Chromium against the real app and RGW, through static/js/multipart.js and
// through the page: a file of several parts arrives byte-identical with one aggregated progress, an
// interrupted upload resumes after a reload sending only the missing part, cancelling aborts it.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { startApp, type App } from './app'
import { describeBrowser, openSession, type Session } from './browser'
import { sha256 } from './s3'

const MiB = 1024 * 1024
/** Three parts of 5, 5 and 2 MiB + 123 bytes. */
const SIZE = 12 * MiB + 123
const NAME = 'big-scan.pdf'

type Run = { key?: string; error?: { reason: string; code: string }; progress: [number, number][]; sha: string }

/**
 * Builds the same File in the page every time (fixed bytes and lastModified, so a reload can resume
 * it), uploads it with uploadMultipart and returns what happened. `cancelAfter` cancels once that
 * many bytes have been reported.
 */
async function uploadInPage(page: Page, opts: { cancelAfter?: number } = {}): Promise<Run> {
  // A string, so vitest does not rewrite the import(); the module is the page's own file.
  await page.evaluate(`import('/js/multipart.js').then((m) => { window.multipartModule = m })`)
  return page.evaluate(
    async ({ size, name, cancelAfter }) => {
      type Uploader = (file: File, opts: object) => Promise<{ key: string }>
      const page = window as unknown as { multipartModule: { uploadMultipart: Uploader } }
      const { uploadMultipart } = page.multipartModule
      const bytes = new Uint8Array(size)
      let x = 2463534242
      for (let i = 0; i < size; i++) {
        x ^= x << 13
        x ^= x >>> 17
        x ^= x << 5
        bytes[i] = x & 255
      }
      const file = new File([bytes], name, { type: 'application/pdf', lastModified: 1_700_000_000_000 })
      const digest = await crypto.subtle.digest('SHA-256', bytes)
      const sha = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
      const progress: [number, number][] = []
      const controller = new AbortController()
      try {
        const { key } = await uploadMultipart(file, {
          signal: controller.signal,
          onProgress: (loaded: number, total: number) => {
            progress.push([loaded, total])
            if (cancelAfter !== undefined && loaded >= cancelAfter) controller.abort()
          },
        })
        return { key, progress, sha }
      } catch (err) {
        const e = err as { reason: string; code: string }
        return { error: { reason: e.reason, code: e.code }, progress, sha }
      }
    },
    { size: SIZE, name: NAME, cancelAfter: opts.cancelAfter },
  )
}

describeBrowser('multipart uploads from the browser', () => {
  let app: App
  let alice: Session

  beforeAll(async () => {
    app = await startApp({
      vars: {
        UPLOAD_MAX_BYTES: String(64 * MiB),
        MULTIPART_THRESHOLD_BYTES: String(5 * MiB),
        MULTIPART_PART_BYTES: String(5 * MiB),
      },
    })
    alice = await openSession()
    await alice.signIn(app, 'alice')
  })
  afterAll(async () => {
    await alice?.close()
    await app?.stop()
  })

  it('uploads three parts with one progress reaching the whole size, byte-identical in the bucket', async () => {
    const started = Date.now()
    const run = await uploadInPage(alice.page)
    expect(run.error).toBeUndefined()
    console.log(`multipart upload of ${SIZE} bytes in 3 parts from Chromium: ${Date.now() - started} ms`)
    expect(run.key).toMatch(new RegExp(`/${NAME}$`))
    expect(run.progress.at(-1)).toEqual([SIZE, SIZE])
    expect(run.progress.every(([loaded, total]) => total === SIZE && loaded <= SIZE)).toBe(true)
    const stored = await app.bucket.get(app.rootOf('alice') + run.key)
    expect(stored?.length).toBe(SIZE)
    expect(sha256(stored!)).toBe(run.sha)
    expect(await alice.page.evaluate(() => localStorage.getItem('bucketgate.multipart.v1'))).toBe('{}')
    alice.assertNoProblems()
  })

  it('resumes after a reload: ListParts says what is there, only the missing part is sent again', async () => {
    const { page } = alice
    // Part 2 never gets through (the connection drops), so the upload fails and stays remembered.
    await page.route(/partNumber=2&/, (route) => route.abort('connectionreset'))
    alice.expectError(/partNumber=2|ERR_CONNECTION_RESET|net::ERR_FAILED/)
    const failed = await uploadInPage(page)
    expect(failed.error?.reason).toMatch(/could not be reached/)
    expect(
      await page.evaluate(() => Object.keys(JSON.parse(localStorage.getItem('bucketgate.multipart.v1')!))),
    ).toHaveLength(1)
    await page.unroute(/partNumber=2&/)

    await page.reload()
    await page.locator('#app').waitFor({ state: 'visible' })
    const sentParts: string[] = []
    page.on('request', (req) => {
      const n = new URL(req.url()).searchParams.get('partNumber')
      if (req.method() === 'PUT' && n) sentParts.push(n)
    })
    const resumed = await uploadInPage(page)
    expect(resumed.error).toBeUndefined()
    expect(sentParts).toEqual(['2'])
    // Progress starts from the parts already held, not from zero.
    expect(resumed.progress[0][0]).toBe(5 * MiB + 2 * MiB + 123)
    expect(sha256((await app.bucket.get(app.rootOf('alice') + resumed.key))!)).toBe(resumed.sha)
  })

  it('cancelling aborts the upload: nothing stored, nothing remembered', async () => {
    const before = (await app.bucket.list(app.rootOf('alice'))).length
    const run = await uploadInPage(alice.page, { cancelAfter: 1 })
    expect(run.error?.code).toBe('cancelled')
    expect(await alice.page.evaluate(() => localStorage.getItem('bucketgate.multipart.v1'))).toBe('{}')
    expect((await app.bucket.list(app.rootOf('alice'))).length).toBe(before)
  })

  describe('through the page', () => {
    let carol: Session
    let dir = ''
    /** A real file on disk: its lastModified stays the same when it is picked again. */
    let bigFile = ''
    let bigBytes: Buffer

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'bucketgate-multipart-'))
      bigBytes = randomBytes(SIZE)
      bigFile = join(dir, 'holiday-film.pdf')
      await writeFile(bigFile, bigBytes)
      carol = await openSession()
      await carol.signIn(app, 'carol')
    })
    afterAll(async () => {
      await carol?.close()
      await rm(dir, { recursive: true, force: true })
    })

    const row = () => carol.page.locator('#uploads li', { hasText: 'holiday-film.pdf' })
    const stored = async () =>
      (await app.bucket.list(app.rootOf('carol'))).filter((o) => o.key.endsWith('/holiday-film.pdf'))
    /** The part numbers the page PUTs to the bucket from now on, in the order sent. */
    const partsSent = (page: Page) => {
      const parts: string[] = []
      page.on('request', (req) => {
        const n = new URL(req.url()).searchParams.get('partNumber')
        if (req.method() === 'PUT' && n) parts.push(n)
      })
      return parts
    }

    it('a file over the threshold takes the multipart path with one progress bar reaching done', async () => {
      const { page } = carol
      const parts = partsSent(page)
      await page.locator('#file-input').setInputFiles(bigFile)
      await expect.poll(() => row().getAttribute('data-state')).toBe('done')
      expect(await row().count()).toBe(1)
      expect(await row().locator('progress').count()).toBe(1)
      expect(
        await row()
          .locator('progress')
          .evaluate((p: HTMLProgressElement) => p.value),
      ).toBe(1)
      expect(parts.sort()).toEqual(['1', '2', '3'])
      await page.locator('#grid li', { hasText: 'holiday-film.pdf' }).waitFor()

      const files = await stored()
      expect(files).toHaveLength(1)
      expect(sha256((await app.bucket.get(files[0].key))!)).toBe(sha256(bigBytes))
      carol.assertNoProblems()
      await page.getByRole('button', { name: 'Remove holiday-film.pdf' }).click()
    })

    it('signing out mid-upload aborts the upload on the server before the session ends', async () => {
      const { page } = carol
      // Part 2 is held until the page has signed out, so the upload is still running then.
      let release = () => {}
      const held = new Promise<void>((resolve) => (release = resolve))
      await page.route(/partNumber=2&/, async (route) => {
        await held
        await route.abort('connectionreset').catch(() => {})
      })
      carol.expectError(/partNumber=2|ERR_CONNECTION_RESET|net::ERR_FAILED/)
      const before = (await stored()).length
      await page.locator('#file-input').setInputFiles(bigFile)
      await expect.poll(async () => (await app.bucket.unfinishedUploads(app.rootOf('carol'))).length).toBe(1)
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.locator('#sign-in').waitFor({ state: 'visible' })
      release()
      await page.unroute(/partNumber=2&/)
      // RGW's upload listing can lag its abort by a moment; without the abort it never empties.
      await expect.poll(() => app.bucket.unfinishedUploads(app.rootOf('carol')), { timeout: 10_000 }).toEqual([])
      expect(await stored()).toHaveLength(before)
      await page.getByLabel('Name').fill('carol')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.locator('#app').waitFor({ state: 'visible' })
    })

    it('after a reload, choosing the same file again resumes it: only the missing part is sent', async () => {
      const { page } = carol
      await page.route(/partNumber=2&/, (route) => route.abort('connectionreset'))
      carol.expectError(/partNumber=2|ERR_CONNECTION_RESET|net::ERR_FAILED/)
      await page.locator('#file-input').setInputFiles(bigFile)
      await expect.poll(() => row().getAttribute('data-state')).toBe('failed')
      await page.unroute(/partNumber=2&/)

      await page.reload()
      await page.locator('#app').waitFor({ state: 'visible' })
      await expect.poll(() => page.locator('#message').textContent()).toContain('Unfinished upload: holiday-film.pdf')

      const parts = partsSent(page)
      await page.locator('#file-input').setInputFiles(bigFile)
      await expect.poll(() => row().getAttribute('data-state')).toBe('done')
      expect(parts).toEqual(['2'])
      const files = await stored()
      expect(files).toHaveLength(2)
      for (const o of files) expect(sha256((await app.bucket.get(o.key))!)).toBe(sha256(bigBytes))
    })
  })
})
