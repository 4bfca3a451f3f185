// Signed in by the deployment, not by the page: with dev sign-in off, the page uses a verified token
// (Cloudflare Access's CF_Authorization cookie here), shows who that is, and offers no sign-in form.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { TEST_AUTH } from '../setup/test-values'
import { startApp, type App } from './app'
import { describeBrowser, fileCard, openSession, waitForUpload, type Session } from './browser'
import { text } from './fixtures'

/** An HS256 JWT, as an identity provider configured with AUTH_JWT_SECRET would issue it. */
function accessToken(sub: string, secret = TEST_AUTH.jwtSecret): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  const claims = { sub, iss: TEST_AUTH.issuer, aud: TEST_AUTH.audience, iat: now, exp: now + 600 }
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}

describeBrowser('signed in by the deployment (Cloudflare Access)', () => {
  let app: App
  let session: Session

  beforeAll(async () => {
    app = await startApp({
      vars: {
        DEV_SIGNIN: 'false',
        AUTH_JWT_SECRET: TEST_AUTH.jwtSecret,
        AUTH_ISSUER: TEST_AUTH.issuer,
        AUTH_AUDIENCE: TEST_AUTH.audience,
      },
    })
    session = await openSession()
  })
  afterAll(async () => {
    await session?.close()
    await app?.stop()
  })

  it('without a token says so, and offers no sign-in form', async () => {
    const { page } = session
    await page.goto(app.url)
    await page.locator('#signed-out').waitFor({ state: 'visible' })
    expect(await page.locator('#sign-in').isVisible()).toBe(false)
    expect(await page.locator('#app').isVisible()).toBe(false)
    session.assertNoProblems()
  })

  it("with Access's cookie shows who is signed in, no Sign out, and uploads under that identity", async () => {
    const { page, context } = session
    await context.addCookies([{ name: 'CF_Authorization', value: accessToken('frank@example.com'), url: app.url }])
    await page.reload()
    await page.locator('#app').waitFor({ state: 'visible' })
    expect(await page.locator('#who-name').textContent()).toBe('frank@example.com')
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false)

    await page.locator('#file-input').setInputFiles([text('from-access.txt')])
    await waitForUpload(page, 'from-access.txt', 'done')
    await fileCard(page, 'from-access.txt').waitFor()
    const stored = await app.bucket.list(app.rootOf('frank@example.com'))
    expect(stored.map((o) => o.key)).toEqual([
      expect.stringMatching(/^users\/frank~40example~2Ecom\/[^/]+\/from-access\.txt$/),
    ])
    session.assertNoProblems()
  })

  it('a token signed with another secret is refused: not signed in', async () => {
    const { page, context } = session
    await context.addCookies([
      { name: 'CF_Authorization', value: accessToken('frank@example.com', 'x'.repeat(40)), url: app.url },
    ])
    await page.reload()
    await page.locator('#signed-out').waitFor({ state: 'visible' })
    expect(await page.locator('#grid li').count()).toBe(0)
    session.assertNoProblems()
  })
})
