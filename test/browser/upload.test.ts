// Uploading from the page into the real bucket: through the file picker, with progress, into the grid.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startApp, type App } from './app'
import { describeBrowser, openSession, type Session } from './browser'
import { pdf, png, text } from './fixtures'
import { sha256 } from './s3'

describeBrowser('uploading from the page', () => {
  let app: App
  let alice: Session

  beforeAll(async () => {
    app = await startApp()
    alice = await openSession()
    await alice.signIn(app, 'alice')
  })
  afterAll(async () => {
    await alice?.close()
    await app?.stop()
  })

  it('uploads an image, a PDF and a text file picked at once, each reaching done, into grid and bucket', async () => {
    const { page } = alice
    const files = [png('photo.png'), pdf('report.pdf'), text('notes.txt')]
    await page.locator('#file-input').setInputFiles(files)

    for (const file of files) {
      const row = page.locator('#uploads li', { hasText: file.name })
      await expect.poll(() => row.getAttribute('data-state')).toBe('done')
      expect(await row.locator('progress').evaluate((p: HTMLProgressElement) => p.value)).toBe(1)
      await page.locator('#grid li', { hasText: file.name }).waitFor()
    }

    // What S3 holds is exactly what was picked, under alice's root.
    const stored = await app.bucket.list(app.rootOf('alice'))
    expect(stored.map((o) => o.key.split('/').pop()).sort()).toEqual(['notes.txt', 'photo.png', 'report.pdf'])
    for (const file of files) {
      const key = stored.find((o) => o.key.endsWith(`/${file.name}`))!.key
      expect(sha256((await app.bucket.get(key))!)).toBe(sha256(file.buffer))
    }

    // The thumbnail really rendered: the browser fetched and decoded the image from the bucket.
    const thumb = page.locator('#grid li', { hasText: 'photo.png' }).locator('img')
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(48)
    alice.assertNoProblems()
  })
})
