// Uploading from the page into the real bucket: the file picker and drag and drop, progress and
// speed, the queue's states, cancel and retry, and refusals with their reasons in words.
import { mkdir } from 'node:fs/promises'
import type { Route } from 'playwright-core'
import { AwsV4Signer } from 'aws4fetch'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { TEST_S3 } from '../setup/test-values'
import { startApp, TEST_MAX_BYTES, type App } from './app'
import { describeBrowser, dropFiles, fileCard, openSession, uploadRow, waitForUpload, type Session } from './browser'
import { bigFile, pdf, png, text } from './fixtures'
import { sha256 } from './s3'

/** Upload tickets live 10 s here (the shortest allowed), so "link expired" is quick to reach. */
const TTL_SECONDS = 10

describeBrowser('uploading from the page', () => {
  let app: App
  let alice: Session
  const stored = async () => (await app.bucket.list(app.rootOf('alice'))).map((o) => o.key.split('/').pop())

  beforeAll(async () => {
    app = await startApp({ vars: { UPLOAD_TTL_SECONDS: String(TTL_SECONDS) } })
    alice = await openSession()
    await alice.signIn(app, 'alice')
  })
  afterEach(async () => {
    await alice.page.unrouteAll({ behavior: 'ignoreErrors' })
    alice.assertNoProblems()
  })
  afterAll(async () => {
    await alice?.close()
    await app?.stop()
  })

  it('uploads an image, a PDF and a text file picked at once and one dropped, each reaching done', async () => {
    const { page } = alice
    // The text file is big enough (700 KB) for its speed to be shown when done.
    const picked = [png('photo.png'), pdf('report.pdf'), text('notes.txt', 'bucketgate '.repeat(70_000))]
    await page.locator('#file-input').setInputFiles(picked)
    const dropped = png('dropped.png', 20, 10)
    // Dragging files over the page shows the drop overlay; dropping hides it and queues the file.
    await page.evaluate(() => {
      const data = new DataTransfer()
      data.items.add(new File(['x'], 'x.txt'))
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data }))
    })
    expect(await page.locator('.drop-overlay').isVisible()).toBe(true)
    await dropFiles(page, '#drop-zone', [dropped])
    expect(await page.locator('.drop-overlay').isVisible()).toBe(false)

    const files = [...picked, dropped]
    for (const file of files) {
      await waitForUpload(page, file.name, 'done')
      const row = uploadRow(page, file.name)
      expect(await row.locator('progress').evaluate((p: HTMLProgressElement) => p.value)).toBe(1)
      const done = file.name === 'notes.txt' ? /^Done · [\d.]+ [KMG]?B\/s$/ : /^Done$/
      expect(await row.locator('.upload-state').textContent()).toMatch(done)
      await fileCard(page, file.name).waitFor()
    }

    // What S3 holds is exactly what was picked and dropped, under alice's root.
    const objects = await app.bucket.list(app.rootOf('alice'))
    expect(objects.map((o) => o.key.split('/').pop()).sort()).toEqual(files.map((f) => f.name).sort())
    for (const file of files) {
      const key = objects.find((o) => o.key.endsWith(`/${file.name}`))!.key
      expect(sha256((await app.bucket.get(key))!)).toBe(sha256(file.buffer))
    }

    // The thumbnails really rendered: the browser fetched and decoded the images from the bucket.
    for (const [name, width] of [
      ['photo.png', 48],
      ['dropped.png', 20],
    ] as const) {
      const thumb = fileCard(page, name).locator('img')
      expect(await thumb.getAttribute('loading')).toBe('lazy')
      await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(width)
    }
    // Other files get a type icon, not a broken image.
    expect(await fileCard(page, 'report.pdf').locator('.type-icon').textContent()).toBe('PDF')
    expect(await fileCard(page, 'notes.txt').locator('.type-icon').textContent()).toBe('TXT')
  })

  it('refuses a file over the size limit with the reason shown, and nothing reaches the bucket', async () => {
    const { page } = alice
    const tickets: string[] = []
    page.on('request', (req) => req.url().endsWith('/api/uploads') && tickets.push(req.url()))
    await page.locator('#file-input').setInputFiles([bigFile('huge.png', TEST_MAX_BYTES + 512 * 1024)])
    await waitForUpload(page, 'huge.png', 'failed')
    const row = uploadRow(page, 'huge.png')
    expect(await row.locator('.upload-state').textContent()).toBe('Failed: Too large: 1.5 MB; the limit is 1 MB')
    await expect.poll(() => page.locator('#announce').textContent()).toContain('huge.png failed: Too large')
    expect(await row.locator('.retry').isVisible()).toBe(false) // retrying cannot help
    expect(tickets).toEqual([]) // refused in the page, before asking for a ticket
    expect(await stored()).not.toContain('huge.png')
  })

  it('refuses a type not accepted, before sending anything', async () => {
    const { page } = alice
    const zip = { name: 'archive.zip', mimeType: 'application/zip', buffer: Buffer.from('PK not really') }
    await page.locator('#file-input').setInputFiles([zip])
    await waitForUpload(page, 'archive.zip', 'failed')
    expect(await uploadRow(page, 'archive.zip').locator('.upload-state').textContent()).toBe(
      'Failed: Type not allowed: files of type application/zip are not accepted',
    )
    expect(await stored()).not.toContain('archive.zip')
  })

  it("says the server's own refusals (413, 415) in the same words when the page's limits are stale", async () => {
    const { page } = alice
    // The page believes anything goes; the server still holds the line.
    await page.route('**/api/me', async (route) => {
      const me = await (await route.fetch()).json()
      await route.fulfill({ json: { ...me, limits: { maxBytes: 1e12, allowedTypes: ['*/*'] } } })
    })
    await page.reload()
    await page.locator('#app').waitFor({ state: 'visible' })
    alice.expectError(/status of 41[35]/)
    const zip = { name: 'stale.zip', mimeType: 'application/zip', buffer: Buffer.from('PK not really') }
    await page.locator('#file-input').setInputFiles([bigFile('stale.png', TEST_MAX_BYTES + 1), zip])
    await waitForUpload(page, 'stale.png', 'failed')
    await waitForUpload(page, 'stale.zip', 'failed')
    expect(await uploadRow(page, 'stale.png').locator('.upload-state').textContent()).toBe(
      `Failed: Too large: The file is ${TEST_MAX_BYTES + 1} bytes; the limit is ${TEST_MAX_BYTES} bytes`,
    )
    expect(await uploadRow(page, 'stale.zip').locator('.upload-state').textContent()).toBe(
      'Failed: Type not allowed: Files of type application/zip are not accepted',
    )
    expect(await uploadRow(page, 'stale.png').locator('.retry').isVisible()).toBe(false)
    const names = await stored()
    expect(names).not.toContain('stale.png')
    expect(names).not.toContain('stale.zip')
    await page.unrouteAll({ behavior: 'ignoreErrors' })
    await page.reload()
    await page.locator('#app').waitFor({ state: 'visible' })
  })

  it('reports a size S3 itself refuses (declared smaller than sent) and stores nothing', async () => {
    const { page } = alice
    // Declare one byte less than the file has: the ticket's policy pins that size, S3 must refuse.
    await page.route('**/api/uploads', (route) => {
      const body = JSON.parse(route.request().postData()!)
      return route.continue({ postData: JSON.stringify({ ...body, size: body.size - 1 }) })
    })
    // RGW's refusals carry no CORS headers, so Chromium logs the blocked response.
    alice.expectError(/CORS policy|ERR_FAILED|status of 400/)
    await page.locator('#file-input').setInputFiles([text('liar.txt')])
    await waitForUpload(page, 'liar.txt', 'failed')
    expect(await uploadRow(page, 'liar.txt').locator('.upload-state').textContent()).toMatch(/^Failed: Too large/)
    expect(await stored()).not.toContain('liar.txt')
  })

  it('cancels an upload in flight, stores nothing, and a retry then uploads it', async () => {
    const { page } = alice
    const held: Route[] = []
    await page.route(
      (url) => url.href.startsWith(app.bucket.url),
      (route) => void held.push(route),
    )
    alice.expectError(/ERR_ABORTED|ERR_FAILED/)
    await page.locator('#file-input').setInputFiles([text('slow.txt')])
    await expect.poll(() => held.length).toBe(1) // the browser is sending it to the bucket
    await waitForUpload(page, 'slow.txt', 'uploading')

    // Resume the held request only once the browser has given it up: before that, the cancel may
    // not yet have reached the network layer, and resuming would race it (seen once in CI).
    const given = held[0].request()
    const failed = page.waitForEvent('requestfailed', { predicate: (r) => r === given, timeout: 10_000 })
    await page.getByRole('button', { name: 'Cancel slow.txt' }).click()
    await waitForUpload(page, 'slow.txt', 'cancelled')
    await failed
    await held[0].continue().catch(() => {}) // too late: the request was aborted
    expect(await stored()).not.toContain('slow.txt')

    await page.unrouteAll({ behavior: 'ignoreErrors' })
    await page.getByRole('button', { name: 'Retry slow.txt' }).click()
    await waitForUpload(page, 'slow.txt', 'done')
    expect(await stored()).toContain('slow.txt')
  })

  it('says the link expired when S3 got the upload too late, and a retry gets a fresh ticket', async () => {
    const { page } = alice
    let delayed = 0
    await page.route(
      (url) => url.href.startsWith(app.bucket.url),
      async (route) => {
        if (delayed++ === 0) await new Promise((r) => setTimeout(r, (TTL_SECONDS + 1) * 1000))
        await route.continue()
      },
    )
    alice.expectError(/CORS policy|ERR_FAILED|status of 403/)
    let tickets = 0
    page.on('request', (req) => void (req.url().endsWith('/api/uploads') && tickets++))
    await page.locator('#file-input').setInputFiles([text('late.txt')])
    await waitForUpload(page, 'late.txt', 'failed')
    expect(await uploadRow(page, 'late.txt').locator('.upload-state').textContent()).toBe(
      'Failed: The upload link expired; retry to get a fresh one',
    )
    expect(await stored()).not.toContain('late.txt')

    await page.getByRole('button', { name: 'Retry late.txt' }).click()
    await waitForUpload(page, 'late.txt', 'done')
    expect(tickets).toBe(2)
    expect(await stored()).toContain('late.txt')
  }, 40_000)

  it('follows a PUT ticket (R2 mode): the signed headers are sent, the file is the body', async () => {
    const { page } = alice
    // Until the server hands out PUT tickets itself (UPLOAD_MODE=put), answer the ticket request
    // with one signed here the same way: content-length and content-type in the signature.
    const presignPut = async (key: string, size: number, type: string) => {
      const url = new URL(`${app.bucket.url}/${key}`)
      url.searchParams.set('X-Amz-Expires', '60')
      const signer = new AwsV4Signer({
        ...TEST_S3.credentials,
        url: url.toString(),
        method: 'PUT',
        headers: { 'content-length': String(size), 'content-type': type },
        allHeaders: true,
        signQuery: true,
        service: 's3',
        region: TEST_S3.region,
      })
      return (await signer.sign()).url.toString()
    }
    let lie = 0
    await page.route('**/api/uploads', async (route) => {
      const { name, type, size } = JSON.parse(route.request().postData()!)
      const key = `0put${name.length}/${name}`
      const headers = { 'content-length': String(size + lie), 'content-type': type }
      const url = await presignPut(app.rootOf('alice') + key, size + lie, type)
      const expiresAt = new Date(Date.now() + 60_000).toISOString()
      await route.fulfill({ json: { key, expiresAt, upload: { method: 'PUT', url, headers } } })
    })
    // Tickets made here were never reserved in the server's ledger, so the page's confirm is refused.
    alice.expectError(/\/api\/uploads\/complete$/)
    const file = text('put.txt')
    await page.locator('#file-input').setInputFiles([file])
    await waitForUpload(page, 'put.txt', 'done')
    const key = (await app.bucket.list(app.rootOf('alice'))).find((o) => o.key.endsWith('/put.txt'))!.key
    expect(sha256((await app.bucket.get(key))!)).toBe(sha256(file.buffer))

    // A PUT signed for another length is refused by S3 (the page sends the real one), nothing stored.
    lie = 1
    alice.expectError(/CORS policy|ERR_FAILED|status of 403/)
    await page.locator('#file-input').setInputFiles([text('put-lie.txt')])
    await waitForUpload(page, 'put-lie.txt', 'failed')
    expect(await stored()).not.toContain('put-lie.txt')
  })

  it('runs at most three uploads at once and queues the rest', async () => {
    const { page } = alice
    const held: Route[] = []
    await page.route(
      (url) => url.href.startsWith(app.bucket.url),
      (route) => void held.push(route),
    )
    const names = ['q1.txt', 'q2.txt', 'q3.txt', 'q4.txt', 'q5.txt']
    await page.locator('#file-input').setInputFiles(names.map((n) => text(n)))
    await expect.poll(() => held.length).toBe(3)
    const states = await Promise.all(names.map((n) => uploadRow(page, n).getAttribute('data-state')))
    expect(states.filter((s) => s === 'uploading')).toHaveLength(3)
    expect(states.filter((s) => s === 'queued')).toHaveLength(2)
    expect(await page.locator('#upload-summary').textContent()).toContain('3 uploading, 2 queued')

    // Release them one by one: each finished upload lets a queued one start.
    for (let i = 0; i < names.length; i++) {
      await expect.poll(() => held.length).toBeGreaterThan(i)
      await held[i].continue()
    }
    for (const name of names) await waitForUpload(page, name, 'done')
    expect(held).toHaveLength(5)
    await mkdir('test-results', { recursive: true })
    await page.screenshot({ path: 'test-results/uploads.png', fullPage: true })

    // Remove takes one finished row away; Clear finished the rest, and the panel's summary goes.
    await page.getByRole('button', { name: 'Remove q1.txt' }).click()
    expect(await uploadRow(page, 'q1.txt').count()).toBe(0)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('file-input')
    await page.getByRole('button', { name: 'Clear finished' }).click()
    expect(await page.locator('#uploads li').count()).toBe(0)
    expect(await page.locator('#uploads-head').isVisible()).toBe(false)
    expect(await fileCard(page, 'q1.txt').count()).toBe(1) // the files themselves stay
  })

  it('says how many failed, pointing down to their rows, and takes it back once they are cleared', async () => {
    const { page } = alice
    await page.reload() // an empty panel: only this test's rows count
    await page.locator('#app').waitFor({ state: 'visible' })
    const zip = { name: 'refused.zip', mimeType: 'application/zip', buffer: Buffer.from('PK not really') }
    await page.locator('#file-input').setInputFiles([bigFile('refused.png', TEST_MAX_BYTES + 1), zip])
    await waitForUpload(page, 'refused.png', 'failed')
    await waitForUpload(page, 'refused.zip', 'failed')
    const message = page.locator('#message')
    await expect.poll(() => message.textContent()).toBe('Uploads finished; 2 failed (reasons listed below).')
    expect(await message.getAttribute('class')).toContain('is-error')
    // "below" is where the rows are.
    const [said, rows] = await Promise.all([message.boundingBox(), page.locator('#uploads').boundingBox()])
    expect(rows!.y).toBeGreaterThan(said!.y + said!.height - 1)

    // One failed row removed: the other's reason is still there, so is the message.
    await page.getByRole('button', { name: 'Remove refused.zip' }).click()
    expect(await message.textContent()).toBe('Uploads finished; 2 failed (reasons listed below).')
    await page.getByRole('button', { name: 'Clear finished' }).click()
    expect(await page.locator('#uploads li').count()).toBe(0)
    expect(await message.textContent()).toBe('')
  })
})
