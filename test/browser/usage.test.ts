// Storage used against the quota, in the page: the bar under the upload area follows uploads and
// deletes, turns to a warning near the limit, and a file over the quota is refused before anything
// is sent, with the reason in words.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { startApp, type App } from './app'
import { describeBrowser, fileCard, openSession, uploadRow, waitForUpload, type Session } from './browser'
import { text } from './fixtures'

const QUOTA_BYTES = 3000

describeBrowser('storage used and the quota', () => {
  let app: App
  let quinn: Session
  const usageText = () => quinn.page.locator('#usage-text').textContent()

  beforeAll(async () => {
    app = await startApp({ vars: { USER_QUOTA_BYTES: String(QUOTA_BYTES) } })
    quinn = await openSession()
    await quinn.signIn(app, 'quinn')
  })
  afterEach(() => quinn.assertNoProblems())
  afterAll(async () => {
    await quinn?.close()
    await app?.stop()
  })

  it('shows usage, updated after an upload (confirmed) and a delete, with a warning near the limit', async () => {
    const { page } = quinn
    expect(await usageText()).toBe('0 B of 2.9 KB used · 0 files')
    const confirms: number[] = []
    page.on('response', (res) => res.url().endsWith('/api/uploads/complete') && confirms.push(res.status()))

    await page.locator('#file-input').setInputFiles([text('big.txt', 'b'.repeat(2000))])
    await waitForUpload(page, 'big.txt', 'done')
    await expect.poll(usageText).toBe('2 KB of 2.9 KB used · 1 file')
    expect(confirms).toEqual([200])
    expect(await page.locator('#usage').getAttribute('data-level')).toBe('ok')

    await page.locator('#file-input').setInputFiles([text('small.txt', 's'.repeat(900))])
    await waitForUpload(page, 'small.txt', 'done')
    await expect.poll(usageText).toBe('2.8 KB of 2.9 KB used · 2 files · nearly full')
    expect(await page.locator('#usage').getAttribute('data-level')).toBe('warning')

    await fileCard(page, 'big.txt').getByRole('button', { name: 'Delete big.txt' }).click()
    await page.locator('dialog#confirm').getByRole('button', { name: 'Delete', exact: true }).click()
    await expect.poll(usageText).toBe('900 B of 2.9 KB used · 1 file')
    expect(await page.locator('#usage').getAttribute('data-level')).toBe('ok')
  })

  it('refuses a file over the quota before sending it, saying how much is left', async () => {
    const { page } = quinn
    const tickets: string[] = []
    page.on('request', (req) => req.url().endsWith('/api/uploads') && tickets.push(req.url()))
    await page.locator('#file-input').setInputFiles([text('too-much.txt', 't'.repeat(2500))])
    await waitForUpload(page, 'too-much.txt', 'failed')
    expect(await uploadRow(page, 'too-much.txt').locator('.upload-state').textContent()).toBe(
      'Failed: Over your storage quota: this file is 2.4 KB but only 2.1 KB of your 2.9 KB are left',
    )
    expect(tickets).toEqual([])
    expect(await app.bucket.list(app.rootOf('quinn'))).toHaveLength(1)
  })
})
