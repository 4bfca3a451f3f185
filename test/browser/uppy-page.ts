// The Uppy test page: test/browser/uppy-page/entry.js (the example's setup plus a harness) bundled
// with esbuild into a temp dir, never committed, and served at the app's own origin under
// /uppy-test/ by intercepting those requests, with the app's Content-Security-Policy.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { App } from './app'
import type { Session } from './browser'

const ENTRY = fileURLToPath(new URL('./uppy-page/entry.js', import.meta.url))
const PAGE =
  '<!doctype html><meta charset="utf-8"><title>Uppy test</title><script type="module" src="/uppy-test/bundle.js"></script>'

/** Bundles Uppy and the harness once; returns the script and a cleanup. */
export async function bundleUppyPage(): Promise<{ script: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bucketgate-uppy-'))
  const outfile = join(dir, 'bundle.js')
  await build({ entryPoints: [ENTRY], bundle: true, format: 'esm', platform: 'browser', outfile, logLevel: 'warning' })
  const script = await readFile(outfile, 'utf8')
  return { script, dispose: () => rm(dir, { recursive: true, force: true }) }
}

/** Signs `session` in as `name` through the API and opens the Uppy page with the harness started. */
export async function openUppyPage(
  session: Session,
  app: App,
  script: string,
  name: string,
  opts: { goldenRetriever?: boolean } = {},
): Promise<void> {
  const csp = (await fetch(`${app.url}/`)).headers.get('Content-Security-Policy') ?? ''
  await session.page.route(`${app.url}/uppy-test/**`, (route) => {
    const isScript = route.request().url().endsWith('/bundle.js')
    return route.fulfill({
      status: 200,
      contentType: isScript ? 'text/javascript' : 'text/html',
      headers: { 'Content-Security-Policy': csp },
      body: isScript ? script : PAGE,
    })
  })
  // A fulfilled response has no server address, so Chrome counts the page as public and asks before
  // it reaches loopback (RGW here); the app's real pages come from loopback and need no such grant.
  await session.context.grantPermissions(['local-network-access'], { origin: app.url })
  const signIn = await session.context.request.post(`${app.url}/api/auth/dev`, { data: { name } })
  if (!signIn.ok()) throw new Error(`dev sign-in refused: ${signIn.status()} ${await signIn.text()}`)
  await session.page.goto(`${app.url}/uppy-test/`)
  await startHarness(session, opts)
}

/** Starts the page's Uppy (again, after a reload). */
export async function startHarness(session: Session, opts: { goldenRetriever?: boolean } = {}): Promise<void> {
  await session.page.waitForFunction(() => 'harness' in window)
  type Harness = { start(opts: object): Promise<void> }
  await session.page.evaluate((o) => (window as unknown as { harness: Harness }).harness.start(o), opts)
}
