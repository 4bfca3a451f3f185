// The file grid: open and download (same bytes), delete with confirmation, several at once, pages
// as one scrolls, the empty state, keyboard use, a phone-sized screen, and screenshots.
import { mkdir, readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from './app'
import { describeBrowser, fileCard, openSession, waitForUpload, type Session } from './browser'
import { pdf, png, text, type FixtureFile } from './fixtures'
import { sha256 } from './s3'

const SCREENSHOTS = 'test-results'

async function upload(page: Page, files: FixtureFile[]) {
  await page.locator('#file-input').setInputFiles(files)
  for (const file of files) await waitForUpload(page, file.name, 'done')
}

/** The element with keyboard focus, described for assertions. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    return {
      label: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '',
      tag: el?.tagName ?? '',
      outline: el ? getComputedStyle(el).outlineStyle : '',
    }
  })
}

describeBrowser('the file grid', () => {
  let app: App
  let dana: Session
  const photo = png('photo.png')
  const report = pdf('report.pdf')
  const notes = text('notes.txt')
  const stored = async (user = 'dana') => (await app.bucket.list(app.rootOf(user))).map((o) => o.key.split('/').pop())

  beforeAll(async () => {
    app = await startApp()
    dana = await openSession()
    await dana.signIn(app, 'dana')
  })
  afterEach(() => dana.assertNoProblems())
  afterAll(async () => {
    await dana?.close()
    await app?.stop()
  })

  it('shows the empty state until there are files, then a card per file with size and date', async () => {
    const { page } = dana
    await expect.poll(() => page.locator('#empty').isVisible()).toBe(true)
    expect(await page.locator('#empty').textContent()).toContain('No files yet')
    await upload(page, [photo, report, notes])
    expect(await page.locator('#empty').isVisible()).toBe(false)
    expect(await fileCard(page, 'notes.txt').locator('.size').textContent()).toBe(`${notes.buffer.length} B`)
    const date = fileCard(page, 'notes.txt').locator('time')
    expect(Math.abs(Date.parse((await date.getAttribute('datetime'))!) - Date.now())).toBeLessThan(60_000)
    expect(await date.textContent()).not.toBe('')

    // After a reload the cards come from the list, with presigned thumbnails straight from the bucket.
    await page.reload()
    await fileCard(page, 'report.pdf').waitFor()
    const thumb = fileCard(page, 'photo.png').locator('img')
    expect(await thumb.getAttribute('src')).toMatch(new RegExp(`^${app.bucket.url}/`))
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48)
    await mkdir(SCREENSHOTS, { recursive: true })
    await page.screenshot({ path: `${SCREENSHOTS}/gallery.png`, fullPage: true })
  })

  it('downloads the same bytes that were uploaded, images included', async () => {
    const { page } = dana
    for (const file of [notes, report, photo]) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        fileCard(page, file.name)
          .getByRole('link', { name: `Download ${file.name}` })
          .click(),
      ])
      expect(download.suggestedFilename()).toBe(file.name)
      expect(sha256(await readFile((await download.path())!))).toBe(sha256(file.buffer))
    }
    // "Open" shows an image itself (inline, from the bucket); the bytes are the same.
    const href = await fileCard(page, 'photo.png').getByRole('link', { name: 'Open photo.png' }).getAttribute('href')
    const opened = await page.evaluate(async (url) => {
      const res = await fetch(url!)
      return { type: res.headers.get('Content-Type'), bytes: [...new Uint8Array(await res.arrayBuffer())] }
    }, href)
    expect(opened.type).toBe('image/png')
    expect(sha256(Uint8Array.from(opened.bytes))).toBe(sha256(photo.buffer))
  })

  it('deletes a file only after confirmation, from the grid and the bucket', async () => {
    const { page } = dana
    const dialog = page.locator('dialog#confirm')
    await fileCard(page, 'notes.txt').getByRole('button', { name: 'Delete notes.txt' }).click()
    await dialog.waitFor({ state: 'visible' })
    expect(await dialog.textContent()).toContain('“notes.txt” will be deleted for good.')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(await fileCard(page, 'notes.txt').count()).toBe(1)
    expect(await stored()).toContain('notes.txt')

    await fileCard(page, 'notes.txt').getByRole('button', { name: 'Delete notes.txt' }).click()
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click()
    await fileCard(page, 'notes.txt').waitFor({ state: 'detached' })
    expect(await page.locator('#message').textContent()).toBe('Deleted notes.txt.')
    expect(await stored()).not.toContain('notes.txt')
    await page.reload()
    await fileCard(page, 'report.pdf').waitFor()
    expect(await fileCard(page, 'notes.txt').count()).toBe(0)
  })

  it('deletes several selected files at once', async () => {
    const { page } = dana
    await upload(page, [text('a.txt'), text('b.txt'), text('keep.txt')])
    for (const name of ['a.txt', 'b.txt']) await page.getByRole('checkbox', { name: `Select ${name}` }).check()
    expect(await page.locator('#selection-count').textContent()).toBe('2 selected')
    await page.getByRole('button', { name: 'Delete selected' }).click()
    const dialog = page.locator('dialog#confirm')
    expect(await dialog.locator('h2').textContent()).toBe('Delete 2 files?')
    await dialog.getByRole('button', { name: 'Delete 2 files' }).click()
    // The deletes run in parallel, so each card goes when its own delete is answered.
    await fileCard(page, 'b.txt').waitFor({ state: 'detached' })
    await fileCard(page, 'a.txt').waitFor({ state: 'detached' })
    expect(await page.locator('#message').textContent()).toBe('Deleted 2 files.')
    const left = await stored()
    expect(left).not.toContain('a.txt')
    expect(left).not.toContain('b.txt')
    expect(left).toContain('keep.txt')
    expect(await page.getByRole('button', { name: 'Delete selected' }).isDisabled()).toBe(true)
  })

  it('works from the keyboard alone, with visible focus', async () => {
    const { page } = dana
    await page.reload()
    await fileCard(page, 'keep.txt').waitFor()
    // Tab to keep.txt's Delete button; every stop on the way shows a focus ring.
    await page.locator('body').focus()
    let stop = await focused(page)
    for (let i = 0; i < 40 && stop.label !== 'Delete keep.txt'; i++) {
      await page.keyboard.press('Tab')
      stop = await focused(page)
      expect(stop.outline, `focus ring on ${stop.tag} "${stop.label}"`).not.toBe('none')
    }
    expect(stop.label).toBe('Delete keep.txt')
    await page.keyboard.press('Enter')
    expect((await focused(page)).label).toBe('Cancel') // the safe choice first
    await page.keyboard.press('Escape')
    await page.locator('dialog#confirm').waitFor({ state: 'hidden' })
    expect((await focused(page)).label).toBe('Delete keep.txt') // back where it was
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await fileCard(page, 'keep.txt').waitFor({ state: 'detached' })
    expect((await focused(page)).tag).not.toBe('BODY') // focus stays in the grid
    expect(await stored()).not.toContain('keep.txt')
  })

  // A dialog's close event arrives a task after it closes, so a fast keyboard user (or a test) can
  // open the next confirmation first; each opening must still get its own answer and no other.
  it('gives each confirmation its own answer when one opens before the last close event ran', async () => {
    // Plain JS as a string: vitest would rewrite an import() written inside a function.
    const answers = await dana.page.evaluate(`(async () => {
      const { confirmAction } = await import('/js/confirm-dialog.js')
      const dialog = document.querySelector('dialog#confirm')
      const ask = () => confirmAction(dialog, { title: 'Sure?', message: 'Really.', confirmLabel: 'Yes' })
      const first = ask()
      dialog.querySelector('.confirm').click() // yes; its close event is queued
      const second = ask() // opened before that close event is dispatched
      const unanswered = new Promise((resolve) => setTimeout(() => resolve('waiting'), 200))
      const early = await Promise.race([second.then((ok) => 'answered ' + ok), unanswered])
      const open = dialog.open
      dialog.querySelector('.cancel').click()
      return { first: await first, early, open, second: await second }
    })()`)
    expect(answers).toEqual({ first: true, early: 'waiting', open: true, second: false })
  })

  it('loads further pages as one scrolls, and by the More button', async () => {
    const { page } = dana
    const root = app.rootOf('erin')
    // 65 files straight into the bucket: the page asks for 30 at a time.
    for (let i = 0; i < 65; i++) {
      const name = `seed-${String(i).padStart(2, '0')}.txt`
      await app.bucket.put(`${root}0seed${String(i).padStart(2, '0')}/${name}`, new TextEncoder().encode(name))
    }
    const erin = await openSession()
    try {
      await erin.signIn(app, 'erin')
      const cards = erin.page.locator('#grid li.card')
      const more = erin.page.locator('#more')
      await expect.poll(() => cards.count()).toBe(30)
      // The More button loads the next page (clicked where it is, without scrolling it into view).
      await more.evaluate((button: HTMLButtonElement) => button.click())
      await expect.poll(() => cards.count()).toBe(60)
      // Scrolling to the end loads the rest; then there is no More.
      await erin.page.mouse.wheel(0, 50_000)
      await expect.poll(() => cards.count()).toBe(65)
      await expect.poll(() => more.isVisible()).toBe(false)
      expect(new Set(await erin.page.locator('#grid .name').allTextContents()).size).toBe(65)
      erin.assertNoProblems()
    } finally {
      await erin.close()
    }
  })

  it('says when the list cannot be read, shows no "no files yet", and More tries again', async () => {
    const { page } = dana
    await page.route(/\/api\/files\?/, (route) =>
      route.fulfill({ status: 502, json: { error: { code: 's3_error', message: 'S3 answered 503 SlowDown' } } }),
    )
    dana.expectError(/status of 502/)
    await page.reload()
    await expect
      .poll(() => page.locator('#message').textContent())
      .toBe('Could not list your files: S3 answered 503 SlowDown')
    expect(await page.locator('#empty').isVisible()).toBe(false)
    await page.unrouteAll({ behavior: 'ignoreErrors' })
    await page.getByRole('button', { name: 'More' }).click()
    await fileCard(page, 'photo.png').waitFor()
    expect(await page.getByRole('button', { name: 'More' }).isVisible()).toBe(false)
  })

  describe('on a phone-sized screen', () => {
    it('fits the width without sideways scrolling', async () => {
      const phone = await openSession({ viewport: { width: 375, height: 740 } })
      try {
        await phone.signIn(app, 'dana')
        await fileCard(phone.page, 'photo.png').waitFor()
        await phone.page.locator('#file-input').setInputFiles([text('from-phone with a rather long name.txt')])
        await waitForUpload(phone.page, 'from-phone with a rather long name.txt', 'done')
        const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        expect(overflow).toBeLessThanOrEqual(0)
        await phone.page.screenshot({ path: `${SCREENSHOTS}/gallery-phone.png`, fullPage: true })
        phone.assertNoProblems()
      } finally {
        await phone.close()
      }
    })
  })
})
