// Cache-friendly download URLs, seen from a real browser: within a DOWNLOAD_URL_WINDOW_SECONDS
// window the gallery's thumbnail URL stays the same and S3 answers it with a signed-in
// Cache-Control, so a reload takes the image from the browser cache and asks S3 for nothing.
// Without a window (0) the same reload goes back to S3, which shows the check can fail.
import type { CDPSession } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startApp, type App } from './app'
import { describeBrowser, fileCard, openSession, waitForUpload, type Session } from './browser'
import { png } from './fixtures'

type Load = {
  id: string
  url: string
  fromCache: boolean
  status: number
  cacheControl?: string
  done?: boolean
  /** Cut short (e.g. by a reload) after its headers arrived: nothing was cached from it. */
  failed?: boolean
}

/** Every response for a bucket URL the page receives, and whether Chromium took it from its cache. */
async function watchBucket(session: Session, bucketUrl: string): Promise<{ loads: Load[]; cdp: CDPSession }> {
  const cdp = await session.context.newCDPSession(session.page)
  await cdp.send('Network.enable')
  const loads: Load[] = []
  // A memory-cache hit reports fromDiskCache false; Chromium announces it with requestServedFromCache.
  const servedFromCache = new Set<string>()
  cdp.on('Network.requestServedFromCache', ({ requestId }) => servedFromCache.add(requestId))
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    if (!response.url.startsWith(bucketUrl + '/')) return
    loads.push({
      id: requestId,
      url: response.url,
      fromCache: servedFromCache.has(requestId) || Boolean(response.fromDiskCache || response.fromPrefetchCache),
      status: response.status,
      cacheControl: response.headers['cache-control'] ?? response.headers['Cache-Control'],
    })
  })
  cdp.on('Network.loadingFinished', ({ requestId }) => {
    for (const load of loads) if (load.id === requestId) load.done = true
  })
  cdp.on('Network.loadingFailed', ({ requestId }) => {
    for (const load of loads) if (load.id === requestId) load.failed = true
  })
  return { loads, cdp }
}

/** Sleeps past the next window boundary when fewer than `margin` seconds of this window are left. */
async function awayFromBoundary(windowSeconds: number, margin = 30) {
  const left = windowSeconds - ((Date.now() / 1000) % windowSeconds)
  if (left < margin) await new Promise((r) => setTimeout(r, (left + 1) * 1000))
}

async function thumbnailShown(session: Session, name: string): Promise<string> {
  const img = fileCard(session.page, name).locator('img')
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(48)
  return (await img.getAttribute('src'))!
}

for (const [windowSeconds, cached] of [
  ['900', true],
  ['0', false],
] as const) {
  describeBrowser(`a gallery reload with DOWNLOAD_URL_WINDOW_SECONDS=${windowSeconds}`, () => {
    let app: App
    let session: Session

    beforeAll(async () => {
      app = await startApp({ vars: { DOWNLOAD_URL_WINDOW_SECONDS: windowSeconds } })
      session = await openSession()
      await session.signIn(app, 'carol')
    })
    afterAll(async () => {
      await session?.close()
      await app?.stop()
    })

    it(cached ? 'takes the thumbnail from the browser cache' : 'asks S3 for the thumbnail again', async () => {
      const { page } = session
      if (cached) await awayFromBoundary(Number(windowSeconds))
      const { loads, cdp } = await watchBucket(session, app.bucket.url)
      await page.locator('#file-input').setInputFiles([png('cat.png')])
      await waitForUpload(page, 'cat.png', 'done')

      // The grid from the list: S3 has served this image URL once (with a window: saying it may be kept).
      // Only loads after this reload count: the grid before it may have asked for the same URL (same
      // second) and been cut short by the reload, with no event saying so.
      const since = loads.length
      await page.reload()
      const first = await thumbnailShown(session, 'cat.png')
      const fetched = () =>
        loads.slice(since).filter((l) => l.url === first && !l.fromCache && l.status === 200 && !l.failed)
      await expect.poll(() => fetched().length).toBeGreaterThan(0)
      if (cached) expect(fetched()[0].cacheControl).toBe('private, max-age=3600, immutable')
      // Chromium keeps the entry once the body has arrived. Wait for one whole body, not for every
      // load counted: the page before the reload may have asked for the same URL (same second) just
      // before it went, and such a load neither finishes nor fails (seen once in CI).
      await expect.poll(() => fetched().some((l) => l.done)).toBe(true)
      // Signed URLs carry the second they were signed at; without a window, the next one must differ.
      if (!cached) await new Promise((r) => setTimeout(r, 1100))

      loads.length = 0
      await page.reload()
      const second = await thumbnailShown(session, 'cat.png')
      const fromNetwork = loads.filter((l) => !l.fromCache)
      if (cached) {
        expect(second).toBe(first)
        expect(fromNetwork, 'image requests that went to S3 after the reload').toEqual([])
      } else {
        expect(second).not.toBe(first)
        expect(fromNetwork.map((l) => l.url)).toContain(second)
      }
      await cdp.detach()
      session.assertNoProblems()
    })
  })
}
