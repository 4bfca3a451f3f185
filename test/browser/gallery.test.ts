// The gallery as people use it: twelve phone-sized photos uploaded with previews made in the page,
// a grid that loads only those previews (bytes measured against the originals), the upload tray,
// the phone layout at 375 px, and sort and filter kept in the URL. Screenshots at 1280×800 and
// 375×812 go to test-results/.
import { mkdir, writeFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from './app'
import { describeBrowser, fileCard, openSession, uploadRow, waitForUpload, type Session } from './browser'
import { png, text } from './fixtures'
import { dropPhotos } from './photos'

const SCREENSHOTS = 'test-results'
const PHOTOS = 12
const MiB = 1024 * 1024
/** Where previews live: beside every user root, never inside one (src keys, previewKey). */
const PREVIEW_TREE = '.previews/'

/** Bytes of every image response from the bucket, as Chromium received them (headers included). */
async function watchImageBytes(session: Session, bucketUrl: string) {
  const cdp = await session.context.newCDPSession(session.page)
  await cdp.send('Network.enable')
  const images = new Map<string, { url: string; bytes: number }>()
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    if (response.url.startsWith(`${bucketUrl}/`) && response.mimeType.startsWith('image/')) {
      images.set(requestId, { url: response.url, bytes: 0 })
    }
  })
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const image = images.get(requestId)
    if (image) image.bytes = encodedDataLength
  })
  return { images: () => [...images.values()], stop: () => cdp.detach() }
}

/** Whether every card's thumbnail image has decoded (scrolling each into view, as lazy images need). */
async function allThumbnailsShown(page: Page, count: number) {
  const imgs = page.locator('#grid li.card .thumb img')
  await expect.poll(() => imgs.count()).toBe(count)
  for (let i = 0; i < count; i++) {
    await imgs.nth(i).scrollIntoViewIfNeeded()
    await expect
      .poll(() => imgs.nth(i).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0)
  }
}

describeBrowser('the gallery', () => {
  let app: App
  let desk: Session
  let photos: { name: string; size: number }[] = []
  const root = () => app.rootOf('gina')

  beforeAll(async () => {
    app = await startApp({ vars: { UPLOAD_MAX_BYTES: String(8 * MiB) } })
    desk = await openSession({ viewport: { width: 1280, height: 800 } })
    await desk.signIn(app, 'gina')
    await mkdir(SCREENSHOTS, { recursive: true })
  })
  afterEach(() => desk.assertNoProblems())
  afterAll(async () => {
    await desk?.close()
    await app?.stop()
  })

  it('uploads photos with previews made in the page, and the grid loads only the previews', async () => {
    const { page } = desk
    photos = await dropPhotos(page, PHOTOS)
    for (const photo of photos) {
      expect(photo.size, photo.name).toBeGreaterThan(2 * MiB)
      expect(photo.size, photo.name).toBeLessThan(4 * MiB)
    }
    for (const photo of photos) await waitForUpload(page, photo.name, 'done')

    // The bucket holds the twelve originals under the user's root, and their previews beside it.
    const originals = await app.bucket.list(root())
    expect(originals.map((o) => o.key.split('/').pop()).sort()).toEqual(photos.map((p) => p.name).sort())
    const previews = await app.bucket.list(PREVIEW_TREE + root())
    expect(previews.map((p) => p.key).sort()).toEqual(originals.map((o) => PREVIEW_TREE + o.key).sort())
    for (const preview of previews) {
      expect(preview.size).toBeLessThanOrEqual(128 * 1024)
      const bytes = (await app.bucket.get(preview.key))!
      expect(Buffer.from(bytes.subarray(8, 12)).toString('latin1')).toBe('WEBP') // RIFF....WEBP
    }

    // After a reload the grid asks the bucket for the previews only: their bytes against the originals'.
    const watch = await watchImageBytes(desk, app.bucket.url)
    await page.reload()
    await allThumbnailsShown(page, PHOTOS)
    await expect.poll(() => watch.images().filter((i) => i.bytes > 0).length).toBe(PHOTOS)
    const loaded = watch.images().reduce((sum, i) => sum + i.bytes, 0)
    const originalBytes = photos.reduce((sum, p) => sum + p.size, 0)
    await watch.stop()
    for (const image of watch.images()) expect(image.url).toContain(`/${encodeURIComponent('.previews')}/`)
    const ratio = originalBytes / loaded
    await writeFile(
      `${SCREENSHOTS}/gallery-bytes.json`,
      JSON.stringify(
        { photos: PHOTOS, originalBytes, gridImageBytes: loaded, ratio: Number(ratio.toFixed(1)) },
        null,
        2,
      ),
    )
    console.log(
      `grid images: ${loaded} bytes for ${PHOTOS} photos of ${originalBytes} bytes (${ratio.toFixed(1)}× fewer)`,
    )
    expect(ratio).toBeGreaterThanOrEqual(20)

    // Opening a file still gets the original.
    const href = await fileCard(page, 'photo-01.jpg')
      .getByRole('link', { name: 'Open photo-01.jpg' })
      .getAttribute('href')
    const opened = await page.evaluate(async (url) => (await (await fetch(url!)).arrayBuffer()).byteLength, href)
    expect(opened).toBe(photos.find((p) => p.name === 'photo-01.jpg')!.size)

    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: `${SCREENSHOTS}/gallery-1280x800.png` })
  })

  it('keeps the sort order and the name filter in the URL, across a reload', async () => {
    const { page } = desk
    const shownNames = () => page.locator('#grid li.card:visible .name').allTextContents()
    await page.locator('#sort').selectOption('name')
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('name')
    expect(await shownNames()).toEqual(photos.map((p) => p.name).sort())
    await page.locator('#sort').selectOption('newest')
    const newest = await shownNames()
    await page.locator('#sort').selectOption('oldest')
    expect(await shownNames()).toEqual([...newest].reverse())

    await page.locator('#sort').selectOption('name')
    await page.locator('#filter').fill('photo-1')
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('photo-1')
    expect(await shownNames()).toEqual(['photo-10.jpg', 'photo-11.jpg', 'photo-12.jpg'])
    await page.reload()
    await expect.poll(() => shownNames()).toEqual(['photo-10.jpg', 'photo-11.jpg', 'photo-12.jpg'])
    expect(await page.locator('#sort').inputValue()).toBe('name')
    expect(await page.locator('#filter').inputValue()).toBe('photo-1')

    // Select all takes only what the filter shows.
    await page.locator('#select-all').check()
    expect(await page.locator('#selection-count').textContent()).toBe('3 selected')
    await page.locator('#filter').fill('nothing like it')
    expect(await page.locator('#no-match').isVisible()).toBe(true)
    expect(await page.locator('#selection-count').textContent()).toBe('')
    await page.locator('#filter').fill('')
    await page.locator('#sort').selectOption('newest')
    await expect.poll(() => new URL(page.url()).search).toBe('')
    expect(await shownNames()).toHaveLength(PHOTOS)
  })

  it('never fails an upload for its preview: one that cannot be made or stored leaves a type icon', async () => {
    const { page } = desk
    // The preview ticket fails, and a "PNG" that is not one cannot be decoded at all.
    await page.route('**/api/uploads/preview', (route) =>
      route.fulfill({ status: 503, json: { error: { code: 's3_unavailable', message: 'S3 did not answer' } } }),
    )
    desk.expectError(/status of 503/)
    const broken = { name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') }
    await page.locator('#file-input').setInputFiles([png('unlucky.png'), broken])
    await waitForUpload(page, 'unlucky.png', 'done')
    await waitForUpload(page, 'broken.png', 'done')
    await page.unrouteAll({ behavior: 'ignoreErrors' })
    const stored = (await app.bucket.list(root())).map((o) => o.key.split('/').pop())
    expect(stored).toEqual(expect.arrayContaining(['unlucky.png', 'broken.png']))
    expect((await app.bucket.list(PREVIEW_TREE + root())).map((o) => o.key)).toHaveLength(PHOTOS)
    for (const name of ['unlucky.png', 'broken.png']) {
      expect(await fileCard(page, name).locator('.type-icon').textContent()).toBe('PNG')
      expect(await fileCard(page, name).locator('img').count()).toBe(0)
    }
    // Without a preview, an image shows its original only when asked: Show.
    await page.reload()
    const card = fileCard(page, 'unlucky.png')
    await card.getByRole('button', { name: 'Show unlucky.png' }).click()
    await expect.poll(() => card.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48)
    expect(await card.getByRole('button', { name: 'Show unlucky.png' }).isVisible()).toBe(false)
    for (const name of ['unlucky.png', 'broken.png']) {
      await fileCard(page, name)
        .getByRole('button', { name: `Delete ${name}` })
        .click()
      await page.locator('dialog#confirm').getByRole('button', { name: 'Delete', exact: true }).click()
      await fileCard(page, name).waitFor({ state: 'detached' })
    }
  })

  it('gathers uploads in a tray over the corner: the grid never moves, one bar, a count and time left', async () => {
    const { page } = desk
    const held: import('playwright-core').Route[] = []
    await page.route(
      (url) => url.href.startsWith(app.bucket.url),
      (route) => void held.push(route),
    )
    const titleTop = async () => (await page.locator('#files-title').boundingBox())!.y
    const before = await titleTop()
    const names = ['t1.txt', 't2.txt', 't3.txt', 't4.txt', 't5.txt']
    await page.locator('#file-input').setInputFiles(names.map((n) => text(n, 'x'.repeat(40_000))))
    await expect.poll(() => held.length).toBe(3)
    const tray = page.locator('#tray')
    expect(await tray.isVisible()).toBe(true)
    expect(await titleTop()).toBe(before)
    const box = (await tray.boundingBox())!
    expect(box.y + box.height).toBeGreaterThan(800 - 40) // at the bottom of the window
    expect(box.x + box.width).toBeGreaterThan(1280 - 40) // in its right corner
    expect(await page.locator('#tray-totals').textContent()).toBe('0 of 5 uploaded')

    // Closed, it is one line; open, the rows with their actions.
    await page.getByRole('button', { name: /^Uploads/ }).click()
    expect(await page.locator('#uploads').isVisible()).toBe(false)
    expect((await tray.boundingBox())!.height).toBeLessThan(90)
    await page.getByRole('button', { name: /^Uploads/ }).click()
    expect(await uploadRow(page, 't1.txt').getByRole('button', { name: 'Cancel t1.txt' }).isVisible()).toBe(true)

    for (let i = 0; i < names.length; i++) {
      await expect.poll(() => held.length).toBeGreaterThan(i)
      await held[i].continue()
    }
    for (const name of names) await waitForUpload(page, name, 'done')
    await expect.poll(() => page.locator('#tray-totals').textContent()).toBe('5 of 5 uploaded')
    expect(await page.locator('#tray-progress').evaluate((p: HTMLProgressElement) => p.value)).toBe(1)
    expect(await titleTop()).toBe(before)
    await page.unrouteAll({ behavior: 'ignoreErrors' })
    await page.getByRole('button', { name: 'Clear finished' }).click()
    expect(await tray.isVisible()).toBe(false)
  })

  describe('on a phone, 375 px wide', () => {
    let phone: Session
    beforeAll(async () => {
      phone = await openSession({ viewport: { width: 375, height: 812 } })
      await phone.signIn(app, 'gina')
    })
    afterEach(() => phone.assertNoProblems())
    afterAll(() => phone?.close())

    it('has one header row, rows of at most 120 px, names cut in the middle and dates whole', async () => {
      const { page } = phone
      const long = 'holiday pictures from the summer of twenty twenty-six, final version.txt'
      await page.locator('#file-input').setInputFiles([text(long)])
      await waitForUpload(page, long, 'done')
      await page.getByRole('button', { name: /^Uploads/ }).click() // the sheet opens to its rows
      await page.getByRole('button', { name: 'Clear finished' }).click()

      const [title, signOut, bar] = await Promise.all(
        ['.bar h1', '#sign-out', '.bar'].map(async (s) => (await page.locator(s).boundingBox())!),
      )
      expect(Math.abs(title.y + title.height / 2 - (signOut.y + signOut.height / 2))).toBeLessThan(8)
      expect(bar.height).toBeLessThan(64)

      const heights = await page
        .locator('#grid li.card')
        .evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().height))
      expect(heights.length).toBeGreaterThan(PHOTOS)
      for (const height of heights) expect(height).toBeLessThanOrEqual(120)

      // The long name: cut in the middle, the extension in view, the whole name for the eye and the ear.
      const card = fileCard(page, long)
      const name = card.locator('.name')
      expect(await name.getAttribute('title')).toBe(long)
      expect(await name.getAttribute('aria-label')).toBe(`Open ${long}`)
      const cut = await name.evaluate((link) => {
        const head = link.querySelector('.name-head') as HTMLElement
        const tail = link.querySelector('.name-tail') as HTMLElement
        const box = link.closest('li')!.getBoundingClientRect()
        return {
          headCut: head.scrollWidth > head.clientWidth,
          tail: tail.textContent,
          tailRight: tail.getBoundingClientRect().right,
          cardRight: box.right,
        }
      })
      expect(cut.headCut).toBe(true)
      expect(cut.tail).toMatch(/\.txt$/)
      expect(cut.tailRight).toBeLessThan(cut.cardRight)
      // Size and date each stay whole (an inline element broken across lines has several boxes).
      for (const part of ['.size', '.date']) {
        expect(await card.locator(part).evaluate((el) => el.getClientRects().length), part).toBe(1)
      }

      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map((el) => `${el.tagName}.${el.className}#${el.id}`),
      )
      expect(wide, 'elements past the right edge').toEqual([])
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      // By name: the long name first, then the photos' previews.
      await page.locator('#sort').selectOption('name')
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.screenshot({ path: `${SCREENSHOTS}/gallery-375x812.png` })
      await page.locator('#sort').selectOption('newest')
    })

    it("keeps a card's actions in its ⋯ menu, opened by tap or keyboard and closed by Escape", async () => {
      const { page } = phone
      const card = fileCard(page, 'photo-02.jpg')
      const download = card.getByRole('link', { name: 'Download photo-02.jpg' })
      expect(await download.isVisible()).toBe(false)
      const toggle = card.getByRole('button', { name: 'Actions for photo-02.jpg' })
      await toggle.click()
      expect(await toggle.getAttribute('aria-expanded')).toBe('true')
      expect(await download.isVisible()).toBe(true)
      expect(await card.getByRole('button', { name: 'Delete photo-02.jpg' }).isVisible()).toBe(true)
      await page.screenshot({ path: `${SCREENSHOTS}/gallery-375x812-menu.png` })
      await page.keyboard.press('Escape')
      expect(await download.isVisible()).toBe(false)
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
        'Actions for photo-02.jpg',
      )
    })

    it('does not move "Delete selected" as files are selected', async () => {
      const { page } = phone
      const button = page.getByRole('button', { name: 'Delete selected' })
      // Where it sits on the page (not in the window: ticking a box may scroll it into view).
      const where = () =>
        button.evaluate((el) => {
          const box = el.getBoundingClientRect()
          return [box.x, box.y + window.scrollY, box.width]
        })
      const before = await where()
      await page.getByRole('checkbox', { name: 'Select photo-03.jpg' }).check()
      expect(await where()).toEqual(before)
      await page.getByRole('checkbox', { name: 'Select photo-04.jpg' }).check()
      expect(await page.locator('#selection-count').textContent()).toBe('2 selected')
      expect(await where()).toEqual(before)
      await page.locator('#select-all').check()
      expect(await where()).toEqual(before)
      await page.locator('#select-all').uncheck()
    })

    it('shows uploads as a one-line bottom sheet that opens to the rows', async () => {
      const { page } = phone
      await page.reload() // a fresh page: the tray as a phone first shows it
      await page.locator('#app').waitFor({ state: 'visible' })
      await page.locator('#file-input').setInputFiles([text('sheet.txt')])
      await waitForUpload(page, 'sheet.txt', 'done')
      const tray = (await page.locator('#tray').boundingBox())!
      expect(tray.width).toBe(375)
      expect(tray.y + tray.height).toBeCloseTo(812, 0)
      expect(await page.locator('#uploads').isVisible()).toBe(false)
      await page.getByRole('button', { name: /^Uploads/ }).click()
      expect(await uploadRow(page, 'sheet.txt').isVisible()).toBe(true)
    })
  })
})
