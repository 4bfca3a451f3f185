// The two servers of the end-to-end benchmark: bucketgate as self-hosted (`npm start`, launched by
// scripts/lib/self-hosted.mjs) and the Flask + boto3 reference under Debian's gunicorn; and the CPU
// time their processes (and the test RGW's) have used, read from /proc.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { freePorts } from '../scripts/lib/ports.mjs'
import { startServer } from '../scripts/lib/server-process.mjs'
import { root } from './lib.mjs'

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

/**
 * bench/reference/app.py under gunicorn: `workers` processes of `threads` threads. gthread workers
 * keep connections open; sync workers close each one, which autocannon mis-times (a p50 of 1.7 s
 * for a 29 ms answer) and counts as errors. More threads made tickets slower here (the GIL).
 */
export async function startReference(settings, { workers = 2, threads = 1 } = {}) {
  const [port] = await freePorts(1)
  const args = ['-w', String(workers), '-k', 'gthread', '--threads', String(threads), '--keep-alive', '10']
  args.push('-b', `127.0.0.1:${port}`, '--chdir', 'bench/reference', 'app:app')
  const { PATH, HOME } = process.env
  return startServer({
    name: 'gunicorn',
    command: GUNICORN,
    args,
    cwd: root,
    env: { PATH, HOME, ...settings },
    url: `http://127.0.0.1:${port}`,
    readyPath: '/noop',
    startTimeoutMs: 30_000,
  })
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
