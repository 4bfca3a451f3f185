// `npm run dev`: wrangler dev, plus an in-process s3rver as the bucket unless .dev.vars names one.
// Settings reach the Worker as --var flags, which beat .dev.vars, so none is passed for a name .dev.vars sets.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import S3rver from 's3rver'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dataDir = path.join(root, '.data')
const secretFile = path.join(dataDir, 'dev-session-secret')

/** s3rver's fixed, public development credentials; it checks no signatures anyway. */
const S3RVER_KEY = 'S3RVER'
const DEFAULT_BUCKET = 'bucketgate-dev'
/** How long wrangler gets to stop after SIGTERM before its process group is killed, in ms. */
const STOP_GRACE_MS = 5000

function portFromEnv(name, fallback) {
  const raw = process.env[name] ?? String(fallback)
  const port = Number(raw)
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port number (1-65535), got ${JSON.stringify(raw)}`)
  }
  return port
}

/** KEY=VALUE lines; # comments and blank lines skipped; one pair of matching quotes removed. */
function readDevVars(file) {
  const vars = {}
  if (!existsSync(file)) return vars
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const text = line.trim()
    const eq = text.indexOf('=')
    if (!text || text.startsWith('#') || eq < 1) continue
    let value = text.slice(eq + 1).trim()
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
      value = value.slice(1, -1)
    }
    vars[text.slice(0, eq).trim()] = value
  }
  return vars
}

/** 32 random bytes as hex, made once and kept, so dev sessions survive a restart. */
function devSessionSecret() {
  if (existsSync(secretFile)) {
    const kept = readFileSync(secretFile, 'utf8').trim()
    // The Worker wants at least 32 characters; anything shorter was not written by this script.
    if (kept.length >= 32) {
      chmodSync(secretFile, 0o600)
      return kept
    }
  }
  const secret = randomBytes(32).toString('hex')
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(secretFile, secret + '\n', { mode: 0o600 })
  chmodSync(secretFile, 0o600)
  return secret
}

function corsXml(origins) {
  return [
    '<CORSConfiguration>',
    '  <CORSRule>',
    ...origins.map((o) => `    <AllowedOrigin>${o}</AllowedOrigin>`),
    ...['GET', 'HEAD', 'POST', 'PUT'].map((m) => `    <AllowedMethod>${m}</AllowedMethod>`),
    '    <AllowedHeader>*</AllowedHeader>',
    '    <ExposeHeader>ETag</ExposeHeader>',
    '  </CORSRule>',
    '</CORSConfiguration>',
  ].join('\n')
}

async function startS3rver(port, bucket, pagePort) {
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory: path.join(dataDir, 's3rver'),
    configureBuckets: [
      { name: bucket, configs: [corsXml([`http://localhost:${pagePort}`, `http://127.0.0.1:${pagePort}`])] },
    ],
  })
  await server.run()
  return server
}

async function stopS3rver(server) {
  // close() waits for idle keep-alive sockets (the Worker keeps some open), so drop them first.
  server.httpServer?.closeAllConnections?.()
  await server.close().catch(() => {})
}

function killGroup(pid, signal) {
  try {
    // Negative pid: the whole group, so workerd (wrangler's grandchild) goes too.
    process.kill(-pid, signal)
  } catch {
    // ESRCH: the group is already gone.
  }
}

async function main() {
  const pagePort = portFromEnv('PORT', 8787)
  const devVars = readDevVars(path.join(root, '.dev.vars'))
  // Blank counts as unset, as in src/config.ts; a --var then fills it in.
  const setInDevVars = (name) => (devVars[name] ?? '').trim() !== ''

  const vars = {}
  let s3 = null
  if (!setInDevVars('S3_ENDPOINT')) {
    const s3Port = portFromEnv('S3RVER_PORT', 4569)
    // A bucket named in .dev.vars wins, so create that one.
    const bucket = setInDevVars('S3_BUCKET') ? devVars.S3_BUCKET.trim() : DEFAULT_BUCKET
    s3 = await startS3rver(s3Port, bucket, pagePort)
    Object.assign(vars, {
      S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: S3RVER_KEY,
      S3_SECRET_ACCESS_KEY: S3RVER_KEY,
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
    })
  }
  vars.DEV_SIGNIN = 'true'
  if (!setInDevVars('DEV_SESSION_SECRET')) vars.DEV_SESSION_SECRET = devSessionSecret()

  const args = ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(pagePort)]
  for (const [name, value] of Object.entries(vars)) {
    if (!setInDevVars(name)) args.push('--var', `${name}:${value}`)
  }

  console.log(
    s3
      ? `bucketgate: http://localhost:${pagePort} (bucket: s3rver at ${vars.S3_ENDPOINT}, which checks no ` +
          'signatures or policies; for real checks see the README and the Ceph RGW tests)'
      : `bucketgate: http://localhost:${pagePort} (bucket: S3_ENDPOINT from .dev.vars)`,
  )

  // detached: its own process group, so one signal reaches wrangler and workerd alike.
  const wrangler = spawn('npx', args, {
    cwd: root,
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  })
  const exited = new Promise((resolve) => {
    wrangler.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
    // No 'exit' follows a failed spawn (npx missing), so this settles it too.
    wrangler.once('error', (err) => {
      console.error(`bucketgate: could not run wrangler: ${err.message}`)
      resolve(1)
    })
  })

  // Cleared once the group is known to be gone, so a later kill cannot hit a reused group id.
  let group = wrangler.pid
  let stopping = null
  const stop = (exitCode) => {
    stopping ??= (async () => {
      if (group) killGroup(group, 'SIGTERM')
      const timer = setTimeout(() => group && killGroup(group, 'SIGKILL'), STOP_GRACE_MS)
      await exited
      clearTimeout(timer)
      // wrangler may leave workerd behind when it exits on its own; make sure the group is gone.
      if (group) killGroup(group, 'SIGKILL')
      group = undefined
      if (s3) await stopS3rver(s3)
      process.exit(exitCode)
    })()
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0))
  // A crash of this script must not leave workerd running either.
  process.on('exit', () => group && killGroup(group, 'SIGTERM'))
  exited.then(stop)
}

main().catch((err) => {
  console.error(`bucketgate: ${err.code === 'EADDRINUSE' ? `port already in use (${err.message})` : err.stack}`)
  process.exit(1)
})
