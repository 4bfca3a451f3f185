// Starts and stops the throwaway Ceph RGW of scripts/rgw.sh from Node (npm run dev, the test setups,
// the benchmarks). Each start gets its own directory and its own ports (S3 and both mon ports), so
// two of them on one machine do not collide.
import { execFile, spawnSync } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePorts } from './ports.mjs'

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../rgw.sh')
/** How long `rgw.sh start` may take, all steps together, in ms (it has its own 90 s deadline). */
const RUN_TIMEOUT_MS = 150_000

/**
 * Whether the Ceph binaries are installed; if not, why (names what is missing and the apt-get line).
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
export function rgwAvailable() {
  const res = spawnSync('bash', [SCRIPT, 'available'], { encoding: 'utf8' })
  if (res.status === 0) return { ok: true }
  return { ok: false, reason: (res.stderr || res.stdout || String(res.error)).trim() }
}

// Output is captured, not inherited: it only matters when something fails, and then it is in the Error.
/** @param {string[]} args @param {Record<string, string>} [env] @returns {Promise<string>} */
function run(args, env = {}) {
  return new Promise((resolve, reject) => {
    const options = { env: { ...process.env, ...env }, timeout: RUN_TIMEOUT_MS, maxBuffer: 16 << 20 }
    execFile('bash', [SCRIPT, ...args], options, (err, stdout, stderr) => {
      if (!err) return resolve(stdout)
      const why = err.signal ? `killed by ${err.signal}` : `exit ${err.code}`
      reject(new Error(`scripts/rgw.sh ${args.join(' ')} failed (${why}):\n${stdout}${stderr}`))
    })
  })
}

/**
 * Starts a fresh RGW whose one S3 user has `accessKeyId`/`secretAccessKey`; stop() removes it all.
 * @param {{ port?: number, accessKeyId: string, secretAccessKey: string }} opts
 * @returns {Promise<{ endpoint: string, stop(): Promise<void> }>}
 */
export async function startRgw(opts) {
  const [port, monPort, monV1Port] = await freePorts(3)
  const dir = await mkdtemp(join(tmpdir(), 'bucketgate-rgw-'))
  const env = {
    RGW_ACCESS_KEY: opts.accessKeyId,
    RGW_SECRET_KEY: opts.secretAccessKey,
    RGW_MON_PORT: String(monPort),
    RGW_MON_V1_PORT: String(monV1Port),
  }
  // Should this process end without calling stop(), the daemons must not outlive it.
  const stopSync = () => spawnSync('bash', [SCRIPT, 'stop', dir], { stdio: 'ignore' })
  process.once('exit', stopSync)
  const stop = async () => {
    process.off('exit', stopSync)
    await run(['stop', dir])
  }

  let stdout
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
