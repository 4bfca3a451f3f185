// Safety in the page: hostile file names stay text, the CSP is enforced, the page carries the
// secure headers, two users never see each other's files, and refusals read as words.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { startApp, type App } from './app'
import { describeBrowser, fileCard, openSession, uploadRow, waitForUpload, type Session } from './browser'
import { png, text } from './fixtures'

const XSS_NAME = '<img src=x onerror=alert(1)>.png'

describeBrowser('safety in the page', () => {
  let app: App
  let alice: Session
  let bob: Session

  beforeAll(async () => {
    app = await startApp()
    ;[alice, bob] = await Promise.all([openSession(), openSession()])
    await alice.signIn(app, 'alice')
    await bob.signIn(app, 'bob')
  })
  afterEach(() => {
    alice.assertNoProblems()
    bob.assertNoProblems()
  })
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()])
    await app?.stop()
  })

  it(`shows a file named ${XSS_NAME} as text and runs nothing`, async () => {
    const { page } = alice
    // Belt and braces: a dialog is recorded as a problem, and alert itself leaves a mark.
    await page.evaluate(() => {
      window.alert = () => void ((window as unknown as { pwned: boolean }).pwned = true)
    })
    await page.locator('#file-input').setInputFiles([png(XSS_NAME)])
    await waitForUpload(page, XSS_NAME, 'done')
    expect(await uploadRow(page, XSS_NAME).locator('.upload-name').textContent()).toBe(XSS_NAME)

    // The same name stored as is (bypassing the server's name sanitizing) reaches the grid as text too.
    const raw = `${app.rootOf('alice')}0raw/${XSS_NAME}`
    await app.bucket.put(raw, new TextEncoder().encode('not an image'), 'image/png')
    alice.expectError(/0raw\//) // its "thumbnail" cannot decode; the card falls back to an icon
    await page.reload()
    await fileCard(page, XSS_NAME).waitFor()
    expect(await fileCard(page, XSS_NAME).locator('.name').textContent()).toBe(XSS_NAME)
    // The sanitized upload ("_img src=x onerror=alert(1)_.png") is there too, as text.
    await fileCard(page, '_img src=x onerror=alert(1)_.png').waitFor()
    expect(await page.locator('img[src="x"]').count()).toBe(0)
    await page.waitForTimeout(300) // room for an onerror to fire, were there one
    expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined()
  })

  it('is served with a CSP that blocks inline script, and the secure headers, on the page and its files', async () => {
    const { page } = alice
    const res = await page.request.get(`${app.url}/`)
    expect(res.status()).toBe(200)
    const csp = res.headers()['content-security-policy'] ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain(`connect-src 'self' ${new URL(app.bucket.endpoint).origin}`)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    // Scripts and styles are static assets served without the Worker (a CSP means nothing on them):
    // static/_headers gives them no sniffing, no referrer, and revalidation.
    for (const path of ['/', '/js/main.js', '/css/app.css']) {
      const asset = await page.request.get(`${app.url}${path}`)
      expect(asset.status(), path).toBe(200)
      expect(asset.headers()['x-content-type-options'], path).toBe('nosniff')
      expect(asset.headers()['referrer-policy'], path).toBe('no-referrer')
    }
    for (const path of ['/js/main.js', '/css/app.css']) {
      expect((await page.request.get(`${app.url}${path}`)).headers()['cache-control'], path).toBe('no-cache')
    }
    // The browser enforces it: an inline script added to the page does not run.
    alice.expectError(/Content Security Policy/)
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script')
      script.textContent = 'window.inlineRan = true'
      document.body.append(script)
      await new Promise((r) => setTimeout(r, 50))
      return (window as unknown as { inlineRan?: boolean }).inlineRan ?? false
    })
    expect(ran).toBe(false)
  })

  it('keeps two users in two browsers apart', async () => {
    await alice.page.locator('#file-input').setInputFiles([text('alice-only.txt')])
    await bob.page.locator('#file-input').setInputFiles([text('bob-only.txt')])
    await waitForUpload(alice.page, 'alice-only.txt', 'done')
    await waitForUpload(bob.page, 'bob-only.txt', 'done')

    await Promise.all([alice.page.reload(), bob.page.reload()])
    await fileCard(alice.page, 'alice-only.txt').waitFor()
    await fileCard(bob.page, 'bob-only.txt').waitFor()
    const names = (s: Session) => s.page.locator('#grid .name').allTextContents()
    expect(await names(alice)).not.toContain('bob-only.txt')
    expect(await names(bob)).toEqual(['bob-only.txt'])
    expect(await bob.page.locator('#who-name').textContent()).toBe('bob')

    // In the bucket each file sits under its owner's root only.
    const bobKeys = (await app.bucket.list(app.rootOf('bob'))).map((o) => o.key)
    expect(bobKeys).toHaveLength(1)
    expect(bobKeys[0]).toMatch(/^users\/bob\/[^/]+\/bob-only\.txt$/)
    const aliceKey = (await app.bucket.list(app.rootOf('alice'))).find((o) => o.key.endsWith('alice-only.txt'))!.key

    // Bob asking for alice's file by its relative key gets his own (missing) file, never hers.
    const relative = aliceKey.slice(app.rootOf('alice').length)
    bob.expectError(/status of 404/)
    const status = await bob.page.evaluate(async (key) => {
      const res = await fetch(`/api/files/${key.split('/').map(encodeURIComponent).join('/')}`)
      return res.status
    }, relative)
    expect(status).toBe(404)
  })

  it('forgets the files and uploads on the screen when one signs out', async () => {
    const { page } = bob
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.locator('#sign-in').waitFor({ state: 'visible' })
    expect(await page.locator('#grid li').count()).toBe(0)
    expect(await page.locator('#uploads li').count()).toBe(0)
    await page.getByLabel('Name').fill('carol')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.locator('#empty').waitFor({ state: 'visible' })
    expect(await page.locator('#who-name').textContent()).toBe('carol')
    expect(await page.locator('#grid li').count()).toBe(0)
  })

  it("translates S3's error codes into reasons people understand", async () => {
    // A string, so vitest does not rewrite the import(); the page loads its own module.
    await alice.page.evaluate("import('/js/upload-errors.js').then((m) => { window.uploadErrors = m })")
    const reasons = await alice.page.evaluate(() => {
      const { s3Refusal, parseS3Error, networkFailure } = (window as unknown as { uploadErrors: any }).uploadErrors
      const xml = (code: string, message: string) =>
        `<?xml version="1.0"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
      const reason = (status: number, body: string) => {
        const { code, message } = parseS3Error(body)
        return s3Refusal(status, code, message).reason
      }
      return {
        tooLarge: reason(400, xml('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size')),
        tooSmall: reason(400, xml('EntityTooSmall', 'Your proposed upload is smaller than the minimum')),
        policyExpired: reason(403, xml('AccessDenied', 'Invalid according to Policy: Policy expired.')),
        urlExpired: reason(403, xml('AccessDenied', 'Request has expired')),
        token: reason(400, xml('ExpiredToken', 'The provided token has expired.')),
        type: reason(
          403,
          xml(
            'AccessDenied',
            'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "text/plain"]',
          ),
        ),
        exists: reason(412, xml('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold')),
        busy: reason(503, xml('SlowDown', 'Reduce your request rate.')),
        offlineBeforeExpiry: networkFailure(new Date(Date.now() + 60_000).toISOString()).reason,
        offlineAfterExpiry: networkFailure(new Date(Date.now() - 1_000).toISOString()).reason,
      }
    })
    expect(reasons).toEqual({
      tooLarge: 'Too large: the file is bigger than this upload allows',
      tooSmall: 'The file changed size while uploading; try again',
      policyExpired: 'The upload link expired; retry to get a fresh one',
      urlExpired: 'The upload link expired; retry to get a fresh one',
      token: 'The upload link expired; retry to get a fresh one',
      type: 'Type not allowed: the storage refused this kind of file',
      exists: 'A file with this name is already there',
      busy: 'The storage is busy; try again in a moment',
      offlineBeforeExpiry: 'The storage refused the upload or could not be reached; try again',
      offlineAfterExpiry: 'The upload link expired; retry to get a fresh one',
    })
  })
})
