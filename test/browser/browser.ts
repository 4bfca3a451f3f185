// Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core (never a
// downloaded browser), one fresh profile per session, so two sessions are two users with nothing
// shared. A session records page errors, console errors and native dialogs; a test fails on any
// it did not expect (session.expectError), so a script error or an alert() cannot go unnoticed.
// Each test is judged alone: what it expects holds for it only, and a problem is reported once.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core'
import { describe, expect, inject, TestRunner } from 'vitest'
import type { App } from './app'
import { CHROMIUM, CHROMIUM_ARGS } from './chromium'

/** Browser suites: skipped (loudly, in global setup; never under CI) without RGW or Chromium. */
export const describeBrowser = inject('browserSkipReason') ? describe.skip : describe

export type Problem = { kind: 'pageerror' | 'console' | 'dialog'; text: string; url: string }

export type Session = {
  context: BrowserContext
  page: Page
  /** Everything unexpected not yet judged by assertNoProblems: uncaught errors, console errors, native dialogs. */
  problems: Problem[]
  /**
   * Allows problems matching `pattern` (text or URL) for the rest of the current test only, e.g. a
   * refused upload's CORS error; outside a test (beforeAll), until the first test starts.
   */
  expectError(pattern: RegExp): void
  /** Opens the app and signs in as `name` through the page's own dev sign-in form. */
  signIn(app: Pick<App, 'url'>, name: string): Promise<void>
  /** Fails the test if anything unexpected happened in the page since the last check. */
  assertNoProblems(): void
  close(): Promise<void>
}

/** Errors a normal visit produces: the signed-out page asks /api/me, which answers 401. */
const ALWAYS_EXPECTED = [/\/api\/me$/]

function consoleProblem(msg: ConsoleMessage): Problem {
  return { kind: 'console', text: msg.text(), url: msg.location().url }
}

export async function openSession(opts: { viewport?: { width: number; height: number } } = {}): Promise<Session> {
  const profile = await mkdtemp(join(tmpdir(), 'bucketgate-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    acceptDownloads: true,
  })
  const page = context.pages()[0] ?? (await context.newPage())
  // Expectations belong to the test running when they were declared (undefined: none is running).
  const expected = new Map<string | undefined, RegExp[]>()
  const currentTest = () => TestRunner.getCurrentTest()?.id
  const problems: Problem[] = []
  const record = (p: Problem) => {
    const allowed = [...ALWAYS_EXPECTED, ...(expected.get(currentTest()) ?? [])]
    if (!allowed.some((re) => re.test(p.text) || re.test(p.url))) problems.push(p)
  }
  page.on('pageerror', (err) => record({ kind: 'pageerror', text: String(err.stack ?? err), url: page.url() }))
  page.on('console', (msg) => {
    if (msg.type() === 'error') record(consoleProblem(msg))
  })
  // The page asks for confirmation in its own <dialog>; any native dialog (alert, confirm) is wrong.
  page.on('dialog', async (dialog) => {
    record({ kind: 'dialog', text: `${dialog.type()}: ${dialog.message()}`, url: page.url() })
    await dialog.dismiss().catch(() => {})
  })

  return {
    context,
    page,
    problems,
    expectError(pattern) {
      const test = currentTest()
      expected.set(test, [...(expected.get(test) ?? []), pattern])
    },
    async signIn(app, name) {
      await page.goto(app.url)
      await page.getByLabel('Name').fill(name)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.locator('#app').waitFor({ state: 'visible' })
      const who = await page.locator('#who-name').textContent()
      if (who !== name.toLowerCase()) throw new Error(`signed in as ${JSON.stringify(who)}, not ${name}`)
    },
    assertNoProblems() {
      // Judged once: a problem fails the check that first sees it, not every later one.
      const seen = problems.splice(0)
      expect(seen, 'unexpected errors or dialogs in the page').toEqual([])
    },
    async close() {
      await context.close().catch(() => {})
      await rm(profile, { recursive: true, force: true })
    },
  }
}

/** The upload row of a file name in the page's upload list. */
export const uploadRow = (page: Page, name: string) => page.locator('#uploads li').filter({ hasText: name })

/** The grid card of a file name. */
export const fileCard = (page: Page, name: string) =>
  page.locator('#grid li.card').filter({ has: page.locator('.name', { hasText: name }) })

/** Waits until the upload row of `name` is in `state` (queued, uploading, done, failed, cancelled). */
export async function waitForUpload(page: Page, name: string, state: string): Promise<void> {
  const row = uploadRow(page, name)
  await expect
    .poll(async () => `${await row.getAttribute('data-state')}: ${await row.locator('.upload-state').textContent()}`)
    .toMatch(new RegExp(`^${state}:`))
}

/** Drops files on `selector` the way a drag from the desktop does: a DataTransfer in dragenter, dragover, drop. */
export async function dropFiles(
  page: Page,
  selector: string,
  files: { name: string; mimeType: string; buffer: Buffer }[],
): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.mimeType, base64: f.buffer.toString('base64') }))
  await page.evaluate(
    ({ selector, payload }) => {
      const data = new DataTransfer()
      for (const f of payload) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))
        data.items.add(new File([bytes], f.name, { type: f.type }))
      }
      const target = document.querySelector(selector)
      if (!target) throw new Error(`nothing matches ${selector}`)
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }))
      }
    },
    { selector, payload },
  )
}
