// The one launcher of `wrangler dev` (npm run dev, the browser tests, the benchmarks): its own process
// group (scripts/lib/server-process.mjs), so stop() ends workerd too; free ports unless told; settings
// only from what the caller passes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePorts } from './ports.mjs'
import { startServer } from './server-process.mjs'

/** The repository root: wrangler runs there, so config paths are relative to it. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** How long wrangler dev gets to answer its first request, in ms (bundling + workerd start). */
const START_TIMEOUT_MS = 90_000
/** Settings every launch gets: no network look-ups, no telemetry, no prompts. */
const QUIET_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' }

/**
 * @typedef {object} WranglerDevOptions
 * @property {string} [config] wrangler config, relative to the root (default: the app's wrangler.jsonc)
 * @property {Record<string, string>} [vars] Worker settings, passed in a temporary env file
 * @property {boolean} [devVars] also read the developer's .dev.vars (default false: only `vars`)
 * @property {number} [port] HTTP port (default: a free one)
 * @property {boolean} [inspector] false runs the Worker through wrangler's API with workerd's
 *   inspector off (scripts/lib/start-worker.mjs), as deployed workerd runs (default true)
 * @property {'pipe' | 'inherit'} [stdio] 'inherit' shows wrangler's output (npm run dev); 'pipe'
 *   keeps its last 20 kB for output() (default)
 * @property {string} [readyPath] path that answers once the Worker is up (default '/')
 * @property {(status: number) => boolean} [isReady] when that answer counts as up (default: any status)
 * @property {boolean} [freshState] Durable Object state in a temporary directory removed at stop,
 *   instead of wrangler's .wrangler/state (default false)
 * @property {string[]} [args] more `wrangler dev` arguments
 *
 * @typedef {import('./server-process.mjs').ServerProcess & { port: number, inspectorPort: number }} WranglerDev
 */

/**
 * Starts `wrangler dev` and resolves once it answers `readyPath`.
 * @param {WranglerDevOptions} [opts]
 * @returns {Promise<WranglerDev>}
 */
export async function startWranglerDev(opts = {}) {
  const { config = 'wrangler.jsonc', vars = {}, devVars = false, inspector = true, stdio = 'pipe' } = opts
  const [freePort, inspectorPort] = await freePorts(2)
  const port = opts.port ?? freePort
  const dir = await mkdtemp(join(tmpdir(), 'bucketgate-wrangler-'))
  // An explicit env file makes wrangler skip .dev.vars (and .env); the caller's settings go in it.
  const envFile = join(dir, 'vars.env')
  await writeFile(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
      .join(''),
  )
  const envFiles = devVars ? [] : [envFile]
  /** @type {[string, string[]]} */
  const [command, args] = inspector
    ? ['wrangler', ['dev', '-c', config, '--ip', '127.0.0.1', '--port', String(port)]]
    : ['node', [join(ROOT, 'scripts/lib/start-worker.mjs'), config, String(port), ...envFiles]]
  if (inspector) {
    args.push('--inspector-port', String(inspectorPort), '--show-interactive-dev-session=false')
    for (const f of envFiles) args.push('--env-file', f)
    if (opts.freshState) args.push('--persist-to', join(dir, 'state'))
    // With .dev.vars read these go as --var, which beats that file: the caller leaves out what it sets.
    if (devVars) for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`)
    args.push(...(opts.args ?? []))
  }
  const server = await startServer({
    name: 'wrangler dev',
    command: join(ROOT, 'node_modules/.bin', command),
    args,
    cwd: ROOT,
    env: {
      ...process.env,
      ...QUIET_ENV,
      CLOUDFLARE_INCLUDE_PROCESS_ENV: 'false',
      // wrangler's debug log goes here rather than piling up in ~/.config/.wrangler/logs.
      WRANGLER_LOG_PATH: dir,
      ...(stdio === 'pipe' ? { CI: 'true' } : {}), // no interactive prompts
    },
    url: `http://127.0.0.1:${port}`,
    stdio,
    readyPath: opts.readyPath,
    isReady: opts.isReady,
    startTimeoutMs: START_TIMEOUT_MS,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  })
  return { ...server, port, inspectorPort }
}
