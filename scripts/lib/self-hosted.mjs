// The launcher of `npm start` (plain workerd over `npm run build`'s dist/, no wrangler) for the
// browser tests and the benchmarks: its own process group, a free port, its own Durable Object
// directory, settings only from what the caller passes (the environment, never a .env file).
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePorts } from './ports.mjs'
import { startServer } from './server-process.mjs'
import { ROOT } from './wrangler-dev.mjs'

/** How long npm start gets to answer its first request, in ms (it takes about 0.1 s when idle). */
const START_TIMEOUT_MS = 30_000
/** Debian's Python runs scripts/lib/reuse-port.py (only for `processes` > 1). */
const PYTHON = '/usr/bin/python3'

let built = false
/** `npm run build` from the current source, once per process. */
export function buildOnce() {
  if (built) return
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  built = true
}

/**
 * @typedef {object} SelfHostedOptions
 * @property {Record<string, string>} [vars] Worker settings, passed in the environment
 * @property {number} [processes] more than 1: that many on one port, each with its own socket
 *   (scripts/lib/reuse-port.py); only with `DURABLE_OBJECTS: 'false'` in `vars`
 * @property {string} [dataParent] where the Durable Object directory is made (default: the temp directory)
 * @property {string[]} [args] more workerd arguments, e.g. --inspector-addr=127.0.0.1:9229
 * @property {string} [readyPath] path that answers once the Worker is up (default '/')
 * @property {(status: number) => boolean} [isReady] when that answer counts as up (default: any status)
 *
 * @typedef {import('./server-process.mjs').ServerProcess & { port: number }} SelfHosted
 */

/**
 * Builds dist/ (once) and starts `node scripts/start.mjs` on it; resolves once it answers.
 * @param {SelfHostedOptions} [opts]
 * @returns {Promise<SelfHosted>}
 */
export async function startSelfHosted(opts = {}) {
  const { vars = {}, processes = 1, args = [] } = opts
  buildOnce()
  const [port] = await freePorts(1)
  const dataDir = await mkdtemp(join(opts.dataParent ?? tmpdir(), 'bucketgate-workerd-data-'))
  const start = [process.execPath, join(ROOT, 'scripts/start.mjs'), ...args]
  /** @type {[string, string[]]} */
  const [command, commandArgs] =
    processes === 1
      ? [process.execPath, start.slice(1)]
      : [PYTHON, [join(ROOT, 'scripts/lib/reuse-port.py'), '127.0.0.1', String(port), String(processes), ...start]]
  if (processes > 1) commandArgs.push('--socket-fd=http=3')
  // Only PATH and HOME from this environment: a developer's own settings stay out.
  const { PATH, HOME } = process.env
  const server = await startServer({
    name: 'npm start',
    command,
    args: commandArgs,
    cwd: ROOT,
    env: { PATH, HOME, ...vars, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, ENV_FILE: '/dev/null' },
    url: `http://127.0.0.1:${port}`,
    readyPath: opts.readyPath,
    isReady: opts.isReady,
    startTimeoutMs: START_TIMEOUT_MS,
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  })
  return { ...server, port }
}
