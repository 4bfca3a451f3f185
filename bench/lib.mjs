// Helpers for the benchmark: free ports, `wrangler dev` in its own process group, statistics.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))

export async function freePorts(count) {
  const servers = []
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer()
      servers.push(server)
      await new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, '127.0.0.1', resolve)
      })
    }
    return servers.map((s) => s.address().port)
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  }
}

/** Puts stand-in JPEGs at `keys` (32 at a time) through `aws`, a signing AwsClient. */
export async function putImages(aws, endpoint, bucket, keys) {
  for (let i = 0; i < keys.length; i += 32) {
    await Promise.all(
      keys.slice(i, i + 32).map(async (key) => {
        const url = `${endpoint}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`
        const res = await aws.fetch(url, {
          method: 'PUT',
          body: 'not really a jpeg',
          headers: { 'Content-Type': 'image/jpeg' },
        })
        if (!res.ok) throw new Error(`put ${key}: ${res.status}`)
        await res.arrayBuffer()
      }),
    )
  }
}

/**
 * `wrangler dev` on free ports (HTTP and inspector), settings from a temporary env file (so a
 * developer's .dev.vars never leaks in). It runs in its own process group: stop() ends workerd too.
 * With inspector: false the same Worker runs through wrangler's API with workerd's inspector off
 * (bench/start-worker.mjs), to check that the inspector does not change the numbers.
 */
export async function startWranglerDev({ config, vars = {}, inspector = true }) {
  const [port, inspectorPort] = await freePorts(2)
  const dir = await mkdtemp(join(tmpdir(), 'bucketgate-bench-'))
  const envFile = join(dir, 'vars.env')
  await writeFile(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
      .join(''),
  )
  const [command, args] = inspector
    ? [
        'wrangler',
        ['dev', '-c', config, '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort)],
      ]
    : ['node', ['bench/start-worker.mjs', config, String(port)]]
  if (inspector) args.push('--env-file', envFile, '--log-level', 'error')
  else args.push(envFile)
  const child = spawn(join(root, 'node_modules/.bin', command), args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', CI: '1' },
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {}
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {}
    await rm(dir, { recursive: true, force: true })
  }
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited:\n${output}`)
    try {
      await (await fetch(url + '/__bench/ready')).arrayBuffer()
      return { url, inspectorPort, stop }
    } catch {}
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${command} did not answer in 90 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] }
}

export async function timed(fn) {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

export const fmt = (n, digits = 1) => n.toFixed(digits)
