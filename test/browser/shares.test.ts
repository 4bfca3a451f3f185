// Share links in Chromium: the owner makes a link from a file's card, a second, signed-out browser
// opens it and downloads the same bytes until the limit, then sees 410; a revoked link is 410 at
// once; a deleted file's link is 410 and listed as File deleted; a password link asks first. The
// dialog and the Shared links table work from the keyboard.
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { startApp, type App } from './app'
import { describeBrowser, fileCard, openSession, type Session } from './browser'
import { pdf, type FixtureFile } from './fixtures'
import { sha256 } from './s3'

/** Makes a link for `name` through its card's Share dialog; returns the link's URL. */
async function createLink(
  page: Page,
  name: string,
  { expiry = '1 day', limit = '', password = '' }: { expiry?: string; limit?: string; password?: string } = {},
): Promise<string> {
  await fileCard(page, name)
    .getByRole('button', { name: `Share ${name}` })
    .click()
  const dialog = page.locator('dialog#share-dialog')
  await dialog.waitFor({ state: 'visible' })
  await dialog.getByLabel(expiry, { exact: true }).check()
  await dialog.getByLabel('Download limit').fill(limit)
  await dialog.getByLabel('Password').fill(password)
  await dialog.getByRole('button', { name: 'Create link' }).click()
  const link = dialog.getByLabel('Link')
  await link.waitFor({ state: 'visible' })
  return link.inputValue()
}

async function downloadFrom(page: Page, url: string): Promise<string> {
  await page.goto(url)
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download' }).click(),
  ])
  return sha256(await readFile((await download.path())!))
}

/** The status a plain navigation to `url` answers with. */
async function statusOf(page: Page, url: string): Promise<number> {
  return (await page.goto(url))!.status()
}

describeBrowser('share links', () => {
  let app: App
  let owner: Session
  let visitor: Session
  const report: FixtureFile = pdf('report.pdf')

  beforeAll(async () => {
    app = await startApp()
    owner = await openSession()
    visitor = await openSession()
    await owner.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url })
    await owner.signIn(app, 'sharer')
    await owner.page.locator('#file-input').setInputFiles([report])
    await fileCard(owner.page, report.name).waitFor() // the card appears once the upload is done
  })
  afterEach(() => {
    owner.assertNoProblems()
    visitor.assertNoProblems()
  })
  afterAll(async () => {
    await owner?.close()
    await visitor?.close()
    await app?.stop()
  })

  it('gives a signed-out browser the same bytes until the limit, then 410', async () => {
    const { page } = owner
    const url = await createLink(page, report.name, { limit: '2' })
    expect(url).toMatch(new RegExp(`^${app.url}/s/[A-Za-z0-9_-]{22}$`))
    expect(url).not.toContain('sharer')
    const dialog = page.locator('dialog#share-dialog')
    expect(await dialog.locator('#share-summary').textContent()).toContain('2 downloads')
    await dialog.getByRole('button', { name: 'Copy link' }).click()
    await expect.poll(() => dialog.locator('#share-copied').textContent()).toBe('Link copied.')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'hidden' })

    const row = page.locator('#shares-rows tr').filter({ hasText: report.name })
    await expect.poll(() => row.locator('.share-downloads').textContent()).toBe('0 / 2')
    expect(await row.locator('.share-state').textContent()).toBe('Active')

    const v = visitor.page
    await v.goto(url)
    expect(await v.locator('h1').textContent()).toBe('A file shared with you')
    expect(await v.locator('.share-name').textContent()).toBe(report.name)
    expect(await downloadFrom(v, url)).toBe(sha256(report.buffer))
    expect(await downloadFrom(v, url)).toBe(sha256(report.buffer))
    visitor.expectError(/410|\/s\//)
    expect(await statusOf(v, url)).toBe(410)
    expect(await v.locator('body').textContent()).toContain('used as many times as it allows')
    expect(await statusOf(v, `${url}/download`)).toBe(410)

    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => row.locator('.share-downloads').textContent()).toBe('2 / 2')
    expect(await row.locator('.share-state').textContent()).toBe('Used up')
    expect(await row.getByRole('button').count()).toBe(0)
  })

  it('stops a revoked link at once', async () => {
    const { page } = owner
    const url = await createLink(page, report.name, { expiry: '1 hour' })
    await page.locator('dialog#share-dialog').getByRole('button', { name: 'Done' }).click()
    expect(await statusOf(visitor.page, url)).toBe(200)

    const id = url.split('/').pop()!
    const row = page.locator(`#shares-rows tr[data-id="${id}"]`)
    await row.getByRole('button', { name: `Revoke the link to ${report.name}` }).click()
    const confirm = page.locator('dialog#confirm')
    await confirm.getByRole('button', { name: 'Revoke' }).click()
    await expect.poll(() => row.locator('.share-state').textContent()).toBe('Revoked')

    visitor.expectError(/410|\/s\//)
    expect(await statusOf(visitor.page, url)).toBe(410)
    expect(await visitor.page.locator('body').textContent()).toContain('withdrawn')
  })

  it('lists a link as File deleted once its file is deleted from the page, and the link answers 410', async () => {
    const { page } = owner
    const draft = pdf('draft.pdf')
    await page.locator('#file-input').setInputFiles([draft])
    await fileCard(page, draft.name).waitFor()
    const url = await createLink(page, draft.name)
    await page.locator('dialog#share-dialog').getByRole('button', { name: 'Done' }).click()
    const row = page.locator(`#shares-rows tr[data-id="${url.split('/').pop()}"]`)
    await expect.poll(() => row.locator('.share-state').textContent()).toBe('Active')

    await fileCard(page, draft.name)
      .getByRole('button', { name: `Delete ${draft.name}` })
      .click()
    await page.locator('dialog#confirm').getByRole('button', { name: 'Delete', exact: true }).click()
    await fileCard(page, draft.name).waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => row.locator('.share-state').textContent()).toBe('File deleted')
    expect(await row.getByRole('button').count()).toBe(0)

    visitor.expectError(/410|\/s\//)
    expect(await statusOf(visitor.page, url)).toBe(410)
    expect(await visitor.page.locator('body').textContent()).toContain('The shared file has been deleted.')
  })

  it('asks a visitor for the password first, refuses a wrong one, and downloads with the right one', async () => {
    const url = await createLink(owner.page, report.name, { password: 'open sesame' })
    expect(await owner.page.locator('#share-summary').textContent()).toContain('password protected')
    await owner.page.locator('dialog#share-dialog').getByRole('button', { name: 'Done' }).click()

    const v = visitor.page
    await v.goto(url)
    expect(await v.locator('body').textContent()).not.toContain(report.name)
    visitor.expectError(/403|\/s\//)
    await v.getByLabel('Password').fill('open barley')
    await v.getByRole('button', { name: 'Download' }).click()
    await expect.poll(() => v.getByRole('alert').textContent()).toContain('That password is not right')
    expect(v.url()).toBe(`${url}/download`) // the password went in the body, not the URL
    await v.getByLabel('Password').fill('open sesame')
    const [download] = await Promise.all([
      v.waitForEvent('download'),
      v.getByRole('button', { name: 'Download' }).click(),
    ])
    expect(sha256(await readFile((await download.path())!))).toBe(sha256(report.buffer))
  })

  it('opens and closes the Share dialog from the keyboard, focus going back to the card', async () => {
    const { page } = owner
    const share = fileCard(page, report.name).getByRole('button', { name: `Share ${report.name}` })
    await share.focus()
    await page.keyboard.press('Enter')
    const dialog = page.locator('dialog#share-dialog')
    await dialog.waitFor({ state: 'visible' })
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('3600')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    expect(await share.evaluate((el) => el === document.activeElement)).toBe(true)
  })
})
