// The page against `npm start` (plain workerd serving `npm run build`'s dist/, no wrangler): a
// representative pass of the suite — the page and its headers, upload, list, download, delete, and
// two users kept apart — so the self-hosted bundle is known to do what `wrangler dev` does.
import { readFile } from 'node:fs/promises'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { startApp, type App } from './app'
import { describeBrowser, fileCard, openSession, waitForUpload, type Session } from './browser'
import { png, text } from './fixtures'
import { sha256 } from './s3'

describeBrowser('self-hosted with npm start', () => {
  let app: App
  let alice: Session
  let bob: Session
  const photo = png('photo.png')
  const notes = text('notes.txt')
  const stored = async (user: string) =>
    (await app.bucket.list(app.rootOf(user))).map((o) => o.key.slice(app.rootOf(user).length))

  beforeAll(async () => {
    app = await startApp({ server: 'workerd' })
    ;[alice, bob] = await Promise.all([openSession(), openSession()])
  })
  afterEach(() => {
    alice.assertNoProblems()
    bob.assertNoProblems()
  })
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()])
    await app?.stop()
  })

  it('serves the page and its files with their types and the security headers', async () => {
    expect(app.output()).toContain('bucketgate: starting workerd on') // npm start, not wrangler dev
    const page = await alice.page.goto(app.url)
    expect(page?.status()).toBe(200)
    expect(page?.headers()['content-type']).toBe('text/html; charset=utf-8')
    expect(page?.headers()['content-security-policy']).toContain("script-src 'self'")
    const script = await fetch(`${app.url}/js/main.js`)
    expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    expect(script.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect((await fetch(`${app.url}/no-such-file.js`)).status).toBe(404)
  })

  it('uploads, lists after a reload, and downloads the same bytes', async () => {
    await alice.signIn(app, 'alice')
    const { page } = alice
    await page.locator('#file-input').setInputFiles([photo, notes])
    for (const file of [photo, notes]) await waitForUpload(page, file.name, 'done')
    expect((await stored('alice')).map((k) => k.split('/').pop()).sort()).toEqual(['notes.txt', 'photo.png'])

    await page.reload()
    const thumb = fileCard(page, 'photo.png').locator('img')
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      fileCard(page, 'notes.txt').getByRole('link', { name: 'Download notes.txt' }).click(),
    ])
    expect(sha256(await readFile((await download.path())!))).toBe(sha256(notes.buffer))
  })

  it('deletes after confirmation, from the grid and the bucket', async () => {
    const { page } = alice
    await fileCard(page, 'notes.txt').getByRole('button', { name: 'Delete notes.txt' }).click()
    await page.locator('dialog#confirm').getByRole('button', { name: 'Delete', exact: true }).click()
    await fileCard(page, 'notes.txt').waitFor({ state: 'detached' })
    expect((await stored('alice')).map((k) => k.split('/').pop())).toEqual(['photo.png'])
  })

  it("keeps bob out of alice's files", async () => {
    await bob.signIn(app, 'bob')
    await bob.page.locator('#file-input').setInputFiles([text('bob-only.txt')])
    await waitForUpload(bob.page, 'bob-only.txt', 'done')
    await bob.page.reload()
    await fileCard(bob.page, 'bob-only.txt').waitFor()
    expect(await bob.page.locator('#grid .name').allTextContents()).toEqual(['bob-only.txt'])

    // Alice's relative key, asked for by bob, resolves under bob's own root: not found.
    const [alicesPhoto] = await stored('alice')
    bob.expectError(/status of 404/)
    const status = await bob.page.evaluate(
      async (key) => (await fetch(`/api/files/${key.split('/').map(encodeURIComponent).join('/')}`)).status,
      alicesPhoto,
    )
    expect(status).toBe(404)
  })
})
