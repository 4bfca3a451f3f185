// The real @uppy/core and @uppy/aws-s3 (bundled from npm) in Chromium against bucketgate's Uppy
// routes and RGW: a small file through a POST policy, a multipart file of three parts, pause and
// resume, cancel aborting the S3 upload, another user's upload refused, a part of another length
// refused by S3 itself, and the bucket holding exactly the bytes each time.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startApp, type App } from './app'
import { describeBrowser, openSession, type Session } from './browser'
import { sha256 } from './s3'
import { bundleUppyPage, openUppyPage, startHarness } from './uppy-page'

const MiB = 1024 * 1024
/** Three parts as Uppy cuts them: 5 MiB, 5 MiB and 2 MiB + 123 bytes. */
const BIG = 12 * MiB + 123

type Settled = {
  successful: { name: string; body: { key: string; location: string } }[]
  failed: { name: string; error: string }[]
}
type Harness = {
  events: string[]
  add(name: string, type: string, size: number, seed: number): Promise<{ id: string; sha: string }>
  upload(): void
  finished(): Promise<Settled>
  resumeRestored(): Promise<Settled>
}
type UppyLike = {
  setFileMeta(id: string, meta: object): void
  getPlugin(id: string): { setOptions(opts: object): void } | undefined
  pauseResume(id: string): void
  removeFile(id: string): void
  setFileState(id: string, s: object): void
}
type PageWindow = { harness: Harness; uppy: UppyLike }

describeBrowser('Uppy through /api/uppy', () => {
  let app: App
  let bundle: Awaited<ReturnType<typeof bundleUppyPage>>
  let alice: Session

  beforeAll(async () => {
    bundle = await bundleUppyPage()
    app = await startApp({
      vars: { UPLOAD_MAX_BYTES: String(64 * MiB), MULTIPART_THRESHOLD_BYTES: String(5 * MiB) },
    })
    alice = await openSession()
    await openUppyPage(alice, app, bundle.script, 'alice')
  })
  afterAll(async () => {
    await alice?.close()
    await app?.stop()
    await bundle?.dispose()
  })

  const add = (s: Session, name: string, type: string, size: number, seed: number) =>
    s.page.evaluate((a) => (window as unknown as PageWindow).harness.add(a.name, a.type, a.size, a.seed), {
      name,
      type,
      size,
      seed,
    })
  const upload = (s: Session) => s.page.evaluate(() => (window as unknown as PageWindow).harness.upload())
  const finished = (s: Session) => s.page.evaluate(() => (window as unknown as PageWindow).harness.finished())
  const events = (s: Session) => s.page.evaluate(() => (window as unknown as PageWindow).harness.events)
  const stored = async (user: string, key: string) => app.bucket.get(app.rootOf(user) + key)
  /** Part numbers PUT to the bucket from now on. */
  const partsSent = (s: Session) => {
    const parts: string[] = []
    s.page.on('request', (req) => {
      const n = new URL(req.url()).searchParams.get('partNumber')
      if (req.method() === 'PUT' && n) parts.push(n)
    })
    return parts
  }

  /**
   * The statuses S3 answers requests matching `pattern`, seen from Node. RGW's refusals carry no CORS
   * headers (AWS's do), so they are passed on with them: the page sees S3's status, not a network
   * error it would retry after the test.
   */
  const s3Answers = async (s: Session, pattern: RegExp) => {
    const statuses: number[] = []
    await s.page.route(pattern, async (route) => {
      const res = await route.fetch()
      statuses.push(res.status())
      const cors = { 'access-control-allow-origin': app.url, 'access-control-expose-headers': 'ETag' }
      await route.fulfill({ response: res, headers: { ...res.headers(), ...cors } })
    })
    return statuses
  }

  /**
   * Console errors from now on. A refused upload logs them (S3's status, Uppy's reason), and Chromium
   * may report them after the test's last await: a test waits with `seen` until its own have arrived,
   * so they are judged against its own expectations.
   */
  const consoleErrors = (s: Session) => {
    const texts: string[] = []
    s.page.on('console', (msg) => {
      if (msg.type() === 'error') texts.push(msg.text())
    })
    return {
      async seen(...patterns: RegExp[]) {
        await expect.poll(() => patterns.every((re) => texts.some((t) => re.test(t)))).toBe(true)
        // Uppy logs its reason more than once; let the rest of the burst arrive too.
        await s.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 250)))
      },
    }
  }

  it('uploads a small file through a POST policy signed for its exact size', async () => {
    const file = await add(alice, 'note.txt', 'text/plain', 3000, 7)
    await upload(alice)
    const done = await finished(alice)
    expect(done.failed).toEqual([])
    const { key } = done.successful[0].body
    expect(key).toMatch(new RegExp(`^${app.rootOf('alice')}[0-9a-z]{18}/note\\.txt$`))
    const bytes = await app.bucket.get(key)
    expect(bytes?.length).toBe(3000)
    expect(sha256(bytes!)).toBe(file.sha)
    alice.assertNoProblems()
  })

  it('a file whose declared size is not its own is refused by S3 itself: nothing is stored', async () => {
    const { page } = alice
    alice.expectError(/status of 400|network error/)
    const statuses = await s3Answers(alice, new RegExp(`^${app.bucket.url}$`))
    const errors = consoleErrors(alice)
    const before = await app.bucket.list(app.rootOf('alice'))
    const file = await add(alice, 'liar.txt', 'text/plain', 3000, 31)
    await page.evaluate((id) => (window as unknown as PageWindow).uppy.setFileMeta(id, { size: 2999 }), file.id)
    await upload(alice)
    const done = await finished(alice)
    await page.unroute(new RegExp(`^${app.bucket.url}$`))
    expect(done.successful).toEqual([])
    expect(statuses).toEqual([400])
    expect(await app.bucket.list(app.rootOf('alice'))).toEqual(before)
    await errors.seen(/status of 400/, /network error/)
    // A failed file stays in Uppy, and the next upload() would try it again.
    await page.evaluate((id) => (window as unknown as PageWindow).uppy.removeFile(id), file.id)
  })

  it('uploads a multipart file of three parts, each signed for the length Uppy cuts', async () => {
    const sent = partsSent(alice)
    const file = await add(alice, 'scan.pdf', 'application/pdf', BIG, 11)
    await upload(alice)
    const done = await finished(alice)
    expect(done.failed).toEqual([])
    const { key, location } = done.successful[0].body
    expect(key).toMatch(/^[0-9a-z]{18}\/scan\.pdf$/)
    expect(location).toBe(`${app.url}/api/files/${key}`)
    expect(sent.sort()).toEqual(['1', '2', '3'])
    const bytes = await stored('alice', key)
    expect(bytes?.length).toBe(BIG)
    expect(sha256(bytes!)).toBe(file.sha)
    expect(await app.bucket.unfinishedUploads(app.rootOf('alice'))).toEqual([])
    alice.assertNoProblems()
  })

  it('pauses and resumes: the parts S3 holds are listed, not sent again', async () => {
    const { page } = alice
    const sent = partsSent(alice)
    // Part 2 waits until the upload is paused, so the pause lands between parts 1 and 3.
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route(/partNumber=2&/, async (route) => {
      await held
      await route.continue().catch(() => {})
    })
    const file = await add(alice, 'paused.pdf', 'application/pdf', BIG, 13)
    await upload(alice)
    await expect.poll(() => events(alice)).toContain('paused.pdf part 1')
    await page.evaluate((id) => (window as unknown as PageWindow).uppy.pauseResume(id), file.id)
    release()
    await page.unroute(/partNumber=2&/)
    expect(await app.bucket.unfinishedUploads(app.rootOf('alice'))).toHaveLength(1)

    const lists: string[] = []
    page.on('request', (req) => {
      if (req.method() === 'GET' && /\/api\/uppy\/s3\/multipart\/[^/]+\?key=/.test(req.url())) lists.push(req.url())
    })
    await page.evaluate((id) => (window as unknown as PageWindow).uppy.pauseResume(id), file.id)
    const done = await finished(alice)
    expect(done.failed).toEqual([])
    expect(lists).toHaveLength(1)
    expect(sent.filter((n) => n === '1')).toHaveLength(1)
    const bytes = await stored('alice', done.successful.at(-1)!.body.key)
    expect(sha256(bytes!)).toBe(file.sha)
  })

  it('cancelling a multipart upload aborts it in S3: no parts, no object', async () => {
    const before = await app.bucket.list(app.rootOf('alice'))
    const file = await add(alice, 'cancelled.pdf', 'application/pdf', BIG, 17)
    await upload(alice)
    await expect.poll(() => events(alice)).toContain('cancelled.pdf part 1')
    await expect.poll(() => app.bucket.unfinishedUploads(app.rootOf('alice'))).toHaveLength(1)
    await alice.page.evaluate((id) => (window as unknown as PageWindow).uppy.removeFile(id), file.id)
    await expect.poll(() => app.bucket.unfinishedUploads(app.rootOf('alice')), { timeout: 10_000 }).toEqual([])
    expect(await app.bucket.list(app.rootOf('alice'))).toEqual(before)
  })

  it("refuses to resume another user's upload: Uppy reports a failure, alice's parts stay", async () => {
    // Alice starts an upload and pauses it after part 1; bob's page is handed her key and uploadId
    // (as a tampered Golden Retriever store would) and tries to resume it as his own.
    const mine = await add(alice, 'alices.pdf', 'application/pdf', BIG, 19)
    await upload(alice)
    await expect.poll(() => events(alice)).toContain('alices.pdf part 1')
    await alice.page.evaluate((id) => (window as unknown as PageWindow).uppy.pauseResume(id), mine.id)
    const [{ key: fullKey, uploadId: s3UploadId }] = await app.bucket.unfinishedUploads(app.rootOf('alice'))
    const state = await alice.page.evaluate(
      (id) => (window as unknown as { uppy: { getFile(id: string): { s3Multipart: object } } }).uppy.getFile(id),
      mine.id,
    )
    const stolen = state.s3Multipart as { key: string; uploadId: string }
    expect(fullKey).toBe(app.rootOf('alice') + stolen.key)

    const bob = await openSession()
    try {
      await openUppyPage(bob, app, bundle.script, 'bob')
      bob.expectError(/\/api\/uppy\/s3\/multipart\//)
      const theirs = await add(bob, 'alices.pdf', 'application/pdf', BIG, 19)
      await bob.page.evaluate(
        ({ id, stolen }) => (window as unknown as PageWindow).uppy.setFileState(id, { s3Multipart: stolen }),
        { id: theirs.id, stolen },
      )
      await upload(bob)
      const done = await finished(bob)
      expect(done.successful).toEqual([])
      expect(done.failed).toHaveLength(1)
      expect(await bob.page.evaluate(() => (window as unknown as PageWindow).harness.events)).toEqual([
        expect.stringMatching(/^alices\.pdf error /),
      ])
      expect(await app.bucket.list(app.rootOf('bob'))).toEqual([])
      const [held] = await app.bucket.unfinishedUploads(app.rootOf('alice'))
      expect(held).toEqual({ key: fullKey, uploadId: s3UploadId })
    } finally {
      await bob.close()
    }
    await alice.page.evaluate((id) => (window as unknown as PageWindow).uppy.removeFile(id), mine.id)
    await expect.poll(() => app.bucket.unfinishedUploads(app.rootOf('alice')), { timeout: 10_000 }).toEqual([])
  })

  it('a part cut to another length than the one signed is refused by S3 itself: nothing is stored', async () => {
    const { page } = alice
    alice.expectError(/status of 403|network error/)
    await page.evaluate(() =>
      (window as unknown as PageWindow).uppy.getPlugin('AwsS3')!.setOptions({ getChunkSize: () => 6 * 1024 * 1024 }),
    )
    const statuses = await s3Answers(alice, /partNumber=/)
    const errors = consoleErrors(alice)
    const before = await app.bucket.list(app.rootOf('alice'))
    const recut = await add(alice, 'recut.pdf', 'application/pdf', BIG, 23)
    await upload(alice)
    const done = await finished(alice)
    expect(done.successful).toEqual([])
    expect(done.failed.map((f) => f.name)).toEqual(['recut.pdf'])
    await page.unroute(/partNumber=/)
    expect(statuses).toEqual([403])
    const [held] = await app.bucket.unfinishedUploads(app.rootOf('alice'))
    expect(await app.bucket.list(app.rootOf('alice'))).toEqual(before)
    await page.evaluate(() =>
      (window as unknown as PageWindow).uppy.getPlugin('AwsS3')!.setOptions({ getChunkSize: undefined }),
    )
    expect(held.key).toMatch(/\/recut\.pdf$/)
    await errors.seen(/status of 403/, /network error/)
    // Uppy keeps a failed upload open in S3 (for a retry); drop the file and abort it through the route.
    const aborted = await page.evaluate(async (id) => {
      const uppy = (
        window as unknown as { uppy: { getFile(id: string): { s3Multipart: { key: string; uploadId: string } } } }
      ).uppy
      const { key, uploadId } = uppy.getFile(id).s3Multipart
      ;(window as unknown as PageWindow).uppy.removeFile(id)
      const res = await fetch(`/api/uppy/s3/multipart/${uploadId}?${new URLSearchParams({ key })}`, {
        method: 'DELETE',
      })
      return res.status
    }, recut.id)
    expect(aborted).toBe(200)
    await expect.poll(() => app.bucket.unfinishedUploads(app.rootOf('alice')), { timeout: 10_000 }).toEqual([])
  })

  it('Golden Retriever resumes after a reload with nothing stored on the server: the token is the uploadId', async () => {
    const carol = await openSession()
    try {
      await openUppyPage(carol, app, bundle.script, 'carol', { goldenRetriever: true })
      const { page } = carol
      // Part 2 never leaves before the reload, so the reload lands between parts.
      await page.route(/partNumber=2&/, () => {})
      carol.expectError(/partNumber=2/)
      const file = await add(carol, 'retrieved.pdf', 'application/pdf', BIG, 29)
      await upload(carol)
      await expect.poll(() => events(carol)).toContain('retrieved.pdf part 1')
      await page.unroute(/partNumber=2&/)
      await page.reload()
      await startHarness(carol, { goldenRetriever: true })

      const sent = partsSent(carol)
      const done = await page.evaluate(() => (window as unknown as PageWindow).harness.resumeRestored())
      expect(done.failed).toEqual([])
      expect(sent.sort()).toEqual(['2', '3'])
      const bytes = await stored('carol', done.successful[0].body.key)
      expect(bytes?.length).toBe(BIG)
      expect(sha256(bytes!)).toBe(file.sha)
      expect(await app.bucket.unfinishedUploads(app.rootOf('carol'))).toEqual([])
    } finally {
      await carol.close()
    }
  })
})
