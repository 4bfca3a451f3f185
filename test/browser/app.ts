// Starts the real app for one test file: `wrangler dev` (or, self-hosted, `npm start`: plain workerd
// serving `npm run build`'s dist/) on a free port with its own fresh bucket on the test RGW, whose
// CORS allows exactly this app's origin. Settings come only from --var flags (npm start: the
// environment, with no .env), never from a developer's .dev.vars, so every run sees the same ones.
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inject } from 'vitest'
import { encodeSubject } from '../../src/keys'
import { freePorts } from '../setup/rgw'
import { TEST_AUTH, TEST_S3 } from '../setup/test-values'
import { TestBucket } from './s3'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** How long wrangler dev gets to answer its first request, in ms (bundling + workerd start). */
const START_TIMEOUT_MS = 90_000
/** How long wrangler gets to stop after SIGTERM before its process group is killed, in ms. */
const STOP_GRACE_MS = 5_000
/** The test upload limit: small, so "too large" files are cheap to make. */
export const TEST_MAX_BYTES = 1024 * 1024

export type App = {
  /** The page's origin, e.g. http://127.0.0.1:41234 (the only origin the bucket's CORS allows). */
  url: string
  bucket: TestBucket
  /** The settings the Worker runs with (--var), after overrides. */
  vars: Record<string, string>
  /** The full key prefix of a dev sign-in name (names are lower-cased and [a-z0-9._-]). */
  rootOf(user: string): string
  /** wrangler's output so far (for failure messages). */
  output(): string
  stop(): Promise<void>
}

function wranglerArgs(port: number, inspectorPort: number, vars: Record<string, string>): string[] {
  const args = ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port)]
  args.push('--inspector-port', String(inspectorPort), '--show-interactive-dev-session=false')
  // An explicit env file makes wrangler skip .dev.vars (and .env): a developer's settings stay out.
  args.push('--env-file', '/dev/null')
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`)
  return args
}

/** `npm start` as an operator runs it: settings in the environment, none from a .env file. */
function startSelfHosted(port: number, vars: Record<string, string>, dataDir: string) {
  buildOnce()
  // Only this machine's PATH and HOME: a developer's own settings in the environment stay out.
  const { PATH, HOME } = process.env
  return spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH, HOME, ...vars, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, ENV_FILE: '/dev/null' },
  })
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal) // the whole group: wrangler and its workerd grandchild
  } catch {
    // ESRCH: already gone
  }
}

async function waitUntilAnswering(url: string, exited: () => string | null, output: () => string) {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    const exit = exited()
    if (exit) throw new Error(`wrangler dev exited (${exit}) before answering:\n${output()}`)
    try {
      const res = await fetch(`${url}/api/auth`, { signal: AbortSignal.timeout(2_000) })
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`wrangler dev did not answer within ${START_TIMEOUT_MS} ms:\n${output()}`)
}

/** wrangler: `wrangler dev`; workerd: `npm start` after `npm run build`, as self-hosted. */
type Server = 'wrangler' | 'workerd'

let built = false
/** The self-hosted server serves dist/: build it once per test process, from the current source. */
function buildOnce() {
  if (built) return
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
  built = true
}

/**
 * Starts bucketgate with a fresh bucket. `vars` override or add Worker settings, e.g.
 * `{ UPLOAD_MODE: 'put' }` or `{ UPLOAD_MAX_BYTES: '5000' }`.
 */
export async function startApp({
  vars = {},
  server = 'wrangler',
}: { vars?: Record<string, string>; server?: Server } = {}): Promise<App> {
  const endpoint = inject('rgwEndpoint')
  if (!endpoint) throw new Error('no RGW endpoint: guard the suite with describeBrowser (see browser.ts)')
  // A free port can be taken by another test run before wrangler binds it: then once more.
  try {
    return await launch(endpoint, vars, server)
  } catch (err) {
    if (!/EADDRINUSE|address already in use/i.test(String(err))) throw err
    return launch(endpoint, vars, server)
  }
}

async function launch(endpoint: string, overrides: Record<string, string>, server: Server): Promise<App> {
  const [port, inspectorPort] = await freePorts(2)
  const url = `http://127.0.0.1:${port}`
  const bucket = new TestBucket(endpoint, `bg-browser-${randomBytes(5).toString('hex')}`)
  await bucket.create(url)

  const vars: Record<string, string> = {
    S3_ENDPOINT: endpoint,
    S3_BUCKET: bucket.name,
    S3_REGION: TEST_S3.region,
    S3_ACCESS_KEY_ID: TEST_S3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: TEST_S3.credentials.secretAccessKey,
    DEV_SIGNIN: 'true',
    DEV_SESSION_SECRET: TEST_AUTH.devSessionSecret,
    UPLOAD_MAX_BYTES: String(TEST_MAX_BYTES),
    ...overrides,
  }
  // wrangler's debug log (or npm start's Durable Object storage) goes here, removed on stop.
  const logDir = await mkdtemp(join(tmpdir(), 'bucketgate-wrangler-'))
  let log = ''
  let exit: string | null = null
  // detached = setsid: its own process group, so one signal reaches wrangler and workerd alike.
  const child =
    server === 'workerd'
      ? startSelfHosted(port, vars, logDir)
      : spawn('npx', wranglerArgs(port, inspectorPort, vars), {
          cwd: ROOT,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            ...process.env,
            CLOUDFLARE_CF_FETCH_ENABLED: 'false',
            WRANGLER_SEND_METRICS: 'false',
            CLOUDFLARE_INCLUDE_PROCESS_ENV: 'false',
            CI: 'true', // no interactive prompts
            WRANGLER_LOG_PATH: logDir,
          },
        })
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000)
  }
  child.stdout.on('data', append)
  child.stderr.on('data', append)
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal ?? `exit ${code}`
      resolve()
    })
    child.once('error', (err) => {
      exit = err.message
      resolve()
    })
  })
  const pid = child.pid!
  // Should the test process end without stop(), workerd must not outlive it.
  const killOnExit = () => killGroup(pid, 'SIGKILL')
  process.once('exit', killOnExit)

  let stopped: Promise<void> | undefined
  const stop = () =>
    (stopped ??= (async () => {
      process.off('exit', killOnExit)
      killGroup(pid, 'SIGTERM')
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_GRACE_MS)
      await exited
      clearTimeout(timer)
      killGroup(pid, 'SIGKILL') // wrangler may exit before workerd does
      await rm(logDir, { recursive: true, force: true })
      await bucket.destroy()
    })())

  try {
    await waitUntilAnswering(
      url,
      () => exit,
      () => log,
    )
  } catch (err) {
    await stop()
    throw err
  }
  return {
    url,
    bucket,
    vars,
    rootOf: (user) => `${vars.USER_PREFIX ?? 'users/'}${encodeSubject(user.toLowerCase())}/`,
    output: () => log,
    stop,
  }
}
