// Starts and stops the throwaway Ceph RGW of scripts/rgw.sh from the Node-side test setup.
// Each run gets its own directory and its own ports (S3 and both mon ports), so two test runs on
// one machine do not collide.
import { execFile, spawnSync } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { AddressInfo, Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('../../scripts/rgw.sh', import.meta.url))

export function rgwAvailable(): { ok: true } | { ok: false; reason: string } {
  const res = spawnSync('bash', [SCRIPT, 'available'], { encoding: 'utf8' })
  if (res.status === 0) return { ok: true }
  return { ok: false, reason: (res.stderr || res.stdout || String(res.error)).trim() }
}

// Ports the OS hands out are free now; all are held open together so they differ from each other.
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = []
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer()
      servers.push(server)
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, '127.0.0.1', resolve)
      })
    }
    return servers.map((s) => (s.address() as AddressInfo).port)
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  }
}

// Output is captured, not inherited: it only matters when something fails, and then it is in the Error.
function run(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { env: { ...process.env, ...env }, timeout: 150_000, maxBuffer: 16 << 20 }
    execFile('bash', [SCRIPT, ...args], options, (err, stdout, stderr) => {
      if (!err) return resolve(stdout)
      const why = err.signal ? `killed by ${err.signal}` : `exit ${err.code}`
      reject(new Error(`scripts/rgw.sh ${args.join(' ')} failed (${why}):\n${stdout}${stderr}`))
    })
  })
}

export async function startRgw(opts: {
  port?: number
  accessKeyId: string
  secretAccessKey: string
}): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const [port = 0, monPort, monV1Port] = await freePorts(3)
  const dir = await mkdtemp(join(tmpdir(), 'bucketgate-rgw-'))
  const env = {
    RGW_ACCESS_KEY: opts.accessKeyId,
    RGW_SECRET_KEY: opts.secretAccessKey,
    RGW_MON_PORT: String(monPort),
    RGW_MON_V1_PORT: String(monV1Port),
  }
  // Should the test process end without calling stop(), the daemons must not outlive it.
  const stopSync = () => spawnSync('bash', [SCRIPT, 'stop', dir], { stdio: 'ignore' })
  process.once('exit', stopSync)
  const stop = async () => {
    process.off('exit', stopSync)
    await run(['stop', dir])
  }

  let stdout: string
  try {
    stdout = await run(['start', dir, String(opts.port ?? port)], env)
  } catch (err) {
    // rgw.sh has already stopped its daemons and put the logs' tails in the error; drop the directory.
    await stop().catch(() => {})
    throw err
  }
  const endpoint = /^RGW_ENDPOINT=(\S+)$/m.exec(stdout)?.[1]
  if (!endpoint) {
    await stop().catch(() => {})
    throw new Error(`scripts/rgw.sh start printed no RGW_ENDPOINT line:\n${stdout}`)
  }
  return { endpoint, stop }
}
