// The two servers of the end-to-end benchmark, each in its own process group on a free port:
// bucketgate as self-hosted (`npm start`: plain workerd over dist/) and the Flask + boto3 reference
// under Debian's gunicorn. Also the CPU time a process group has used, read from /proc.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePorts, root } from './lib.mjs'

/** Debian's interpreter and gunicorn: `python3` on PATH may be another Python without Flask. */
const PYTHON = '/usr/bin/python3'
const GUNICORN = '/usr/bin/gunicorn'
export const REFERENCE_PACKAGES = 'apt-get install -y python3-flask python3-boto3 gunicorn'

/** Why the reference cannot run here, or '' when it can. */
export function referenceMissing() {
  if (!existsSync(GUNICORN)) return `${GUNICORN} is missing`
  const check = spawnSync(PYTHON, ['-c', 'import flask, boto3'], { encoding: 'utf8' })
  return check.status === 0 ? '' : `${PYTHON} cannot import flask and boto3: ${check.stderr.trim().split('\n').pop()}`
}

/** Spawns `command` in its own process group; resolves once `url` answers, with stop(). */
async function serve(command, args, { env, url, cwd = root, cleanup = async () => {} }) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d) => (output = (output + d).slice(-20_000)))
  child.stderr.on('data', (d) => (output = (output + d).slice(-20_000)))
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const kill = (signal) => {
    try {
      process.kill(-child.pid, signal)
    } catch {}
  }
  const stop = async () => {
    kill('SIGTERM')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
    kill('SIGKILL')
    await cleanup()
  }
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited:\n${output}`)
    try {
      await (await fetch(url)).arrayBuffer()
      return { pgid: child.pid, stop, output: () => output }
    } catch {}
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${command} did not answer in 60 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** `npm run build` once, from the current source. */
export function build() {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
}

/**
 * bucketgate as `npm start` runs it; `settings` are the Worker's settings, nothing from a .env.
 * `processes` > 1: that many sharing one listening socket (bench/shared-socket.py), each with its
 * own Durable Object directory, so a user's objects are not shared between them. `args` go to workerd.
 */
export async function startBucketgate(settings, { processes = 1, args: extra = [] } = {}) {
  const [port] = await freePorts(1)
  const dataDir = await mkdtemp(join(tmpdir(), 'bucketgate-bench-data-'))
  const url = `http://127.0.0.1:${port}`
  const { PATH, HOME } = process.env
  const env = { PATH, HOME, ...settings, PORT: String(port), DATA_DIR: dataDir, ENV_FILE: '/dev/null' }
  const start = [process.execPath, 'scripts/start.mjs', ...extra]
  const [command, args] =
    processes === 1
      ? [start[0], start.slice(1)]
      : [
          PYTHON,
          ['bench/shared-socket.py', '127.0.0.1', String(port), String(processes), ...start, '--socket-fd=http=3'],
        ]
  const server = await serve(command, args, {
    env,
    url: `${url}/api/auth`,
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  })
  return { ...server, url }
}

/**
 * bench/reference/app.py under gunicorn: `workers` processes of `threads` threads. gthread workers
 * keep connections open; sync workers close each one, which autocannon mis-times (a p50 of 1.7 s
 * for a 29 ms answer) and counts as errors. More threads made tickets slower here (the GIL).
 */
export async function startReference(settings, { workers = 2, threads = 1 } = {}) {
  const [port] = await freePorts(1)
  const url = `http://127.0.0.1:${port}`
  const { PATH, HOME } = process.env
  const args = ['-w', String(workers), '-k', 'gthread', '--threads', String(threads), '--keep-alive', '10']
  args.push('-b', `127.0.0.1:${port}`, '--chdir', 'bench/reference', 'app:app')
  const server = await serve(GUNICORN, args, { env: { PATH, HOME, ...settings }, url: `${url}/noop` })
  return { ...server, url }
}

/** Seconds of CPU (user + system) used so far by the live processes that `select(pid, pgrp)` takes. */
function cpuSeconds(select) {
  let ticks = 0
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    } catch {
      continue // gone meanwhile
    }
    // Fields after the command's closing parenthesis: state is 3rd, pgrp 5th, utime 14th, stime 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (select(Number(pid), Number(fields[2]))) ticks += Number(fields[11]) + Number(fields[12])
  }
  return ticks / 100 // USER_HZ is 100 on Linux
}

/** CPU seconds of every process in process group `pgid` (a server and its children). */
export const groupCpuSeconds = (pgid) => cpuSeconds((_, pgrp) => pgrp === pgid)

/**
 * CPU seconds of the test RGW's daemons (mon, OSD, radosgw): they daemonize, so they are found by
 * the `-c <dir>/ceph.conf` that scripts/rgw.sh gives each, read from whoever listens on `endpoint`.
 */
export function rgwCpuCounter(endpoint) {
  const port = new URL(endpoint).port
  const listener = /pid=(\d+)/.exec(execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' }))?.[1]
  const argv = (pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    } catch {
      return []
    }
  }
  const listenerArgs = listener ? argv(listener) : []
  const conf = listenerArgs[listenerArgs.indexOf('-c') + 1]
  if (!conf) return () => NaN
  const pids = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && argv(name).includes(conf))
    .map(Number)
  return () => cpuSeconds((pid) => pids.includes(pid))
}
