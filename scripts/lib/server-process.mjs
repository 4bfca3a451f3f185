// A local server in its own process group (wrangler dev, npm start's workerd, the benchmark's
// gunicorn): started, waited for until it answers, and stopped whole, so no child outlives it.
import { spawn } from 'node:child_process'

/** How long a server gets to stop after SIGTERM before its process group is killed, in ms. */
const STOP_GRACE_MS = 5_000

/**
 * @typedef {object} ServerOptions
 * @property {string} name what to call it in errors, e.g. "wrangler dev"
 * @property {string} command
 * @property {string[]} args
 * @property {string} cwd
 * @property {NodeJS.ProcessEnv} env the whole environment of the server
 * @property {string} url its origin, e.g. http://127.0.0.1:41234
 * @property {'pipe' | 'inherit'} [stdio] 'inherit' shows its output; 'pipe' keeps the last 20 kB for output()
 * @property {string} [readyPath] path that answers once it is up (default '/')
 * @property {(status: number) => boolean} [isReady] when that answer counts as up (default: any status)
 * @property {number} startTimeoutMs how long it gets to answer
 * @property {() => Promise<void>} [cleanup] runs after it stopped (temporary directories)
 *
 * @typedef {object} ServerProcess
 * @property {string} url
 * @property {number} pgid its process group, for CPU accounting
 * @property {() => string} output its output so far (with stdio 'pipe')
 * @property {Promise<string>} exited settles with how it ended ("exit 0", "SIGTERM", ...)
 * @property {() => Promise<void>} stop ends the whole process group; safe to call twice
 */

/** @param {number} pid @param {NodeJS.Signals} signal */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal) // negative: the whole group, the server and its children
  } catch {
    // ESRCH: already gone
  }
}

/**
 * Spawns the server and resolves once it answers `readyPath`.
 * @param {ServerOptions} opts
 * @returns {Promise<ServerProcess>}
 */
export async function startServer(opts) {
  const { name, url, stdio = 'pipe', cleanup = async () => {} } = opts
  let log = ''
  /** @type {string | null} */
  let exit = null
  // detached = setsid: its own process group, so one signal reaches the server and its children.
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    detached: true,
    stdio: stdio === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    env: opts.env,
  })
  /** @param {Buffer} chunk */
  const append = (chunk) => {
    log = (log + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)
  /** @type {Promise<string>} */
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve((exit = signal ?? `exit ${code}`)))
    // No 'exit' follows a failed spawn, so this settles it too.
    child.once('error', (err) => resolve((exit = err.message)))
  })
  const pid = /** @type {number} */ (child.pid)
  // Should this process end without stop(), the server must not outlive it.
  const killOnExit = () => killGroup(pid, 'SIGKILL')
  process.once('exit', killOnExit)

  /** @type {Promise<void> | undefined} */
  let stopped
  const stop = () =>
    (stopped ??= (async () => {
      process.off('exit', killOnExit)
      killGroup(pid, 'SIGTERM')
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_GRACE_MS)
      await exited
      clearTimeout(timer)
      killGroup(pid, 'SIGKILL') // the leader may exit before its children do
      await cleanup()
    })())

  const isReady = opts.isReady ?? (() => true)
  const deadline = Date.now() + opts.startTimeoutMs
  for (;;) {
    if (exit) {
      await stop()
      throw new Error(`${name} exited (${exit}) before answering:\n${log}`)
    }
    try {
      const res = await fetch(url + (opts.readyPath ?? '/'), { signal: AbortSignal.timeout(2_000) })
      await res.arrayBuffer()
      if (isReady(res.status)) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${name} did not answer within ${opts.startTimeoutMs} ms:\n${log}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return { url, pgid: pid, output: () => log, exited, stop }
}
