// `npm run dev`: the whole product on this machine: `wrangler dev` plus a local bucket, a throwaway
// Ceph RGW when its Debian packages are installed (the S3 the tests use), else s3rver.
//
// Usage: npm run dev [-- --port <n>] [-- --s3 rgw|s3rver]
//
// Environment it reads (a command-line flag wins over its variable):
//   PORT         the page's port on 127.0.0.1 (default 8787; --port)
//   DEV_S3       which local bucket: "rgw" (default when installed) or "s3rver" (--s3)
//   RGW_START_TIMEOUT  seconds Ceph RGW gets to start (default 90; read by scripts/rgw.sh)
// and .dev.vars: any Worker setting named there wins over the dev defaults below; with S3_ENDPOINT
// there, no local bucket is started and that one is used.
//
// Dev defaults: dev sign-in on, a session secret kept in .data/, UPLOAD_MAX_BYTES of 1 GiB (so big
// files can be tried; the threshold keeps files over 100 MiB multipart), a bucket whose CORS allows
// this page. The --openssl-legacy-provider flag in package.json is for s3rver alone: it encodes
// listing continuation tokens with DES, which Node's OpenSSL 3 offers only with that provider.
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { freePorts, portIsFree } from './lib/ports.mjs'
import { rgwAvailable, startRgw } from './lib/rgw.mjs'
import { S3Bucket } from './lib/s3-admin.mjs'
import { ROOT, startWranglerDev } from './lib/wrangler-dev.mjs'

const dataDir = path.join(ROOT, '.data')
const secretFile = path.join(dataDir, 'dev-session-secret')
const DEFAULT_PORT = 8787
const DEFAULT_BUCKET = 'bucketgate-dev'
/** The dev upload limit, in bytes: big enough to try multipart uploads through the page. */
const DEV_UPLOAD_MAX_BYTES = String(1024 ** 3)
/** Made-up keys for the local RGW user (it listens on 127.0.0.1 only). */
const RGW_CREDENTIALS = { accessKeyId: 'bucketgate-dev', secretAccessKey: 'bucketgate-dev-secret-0123456789' }
/** s3rver's fixed, public development keys (the only ones it knows). */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
const RGW_APT = 'sudo apt-get install --no-install-recommends radosgw ceph-mon ceph-osd uuid-runtime'

/** @param {string} text */
const say = (text) => console.log(`bucketgate: ${text}`)

/** @param {string} text @returns {never} */
function fail(text) {
  console.error(`bucketgate: ${text}`)
  process.exit(1)
}

/** @param {string} name @param {string} raw */
function port(name, raw) {
  const n = Number(raw)
  if (!/^\d+$/.test(raw) || n < 1 || n > 65535) fail(`${name} must be a TCP port number (1-65535), got "${raw}"`)
  return n
}

/** KEY=VALUE lines; # comments and blank lines skipped; one pair of matching quotes removed. */
function readDevVars(/** @type {string} */ file) {
  /** @type {Record<string, string>} */
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
    if (kept.length >= 32) return kept
  }
  const secret = randomBytes(32).toString('hex')
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(secretFile, secret + '\n', { mode: 0o600 })
  chmodSync(secretFile, 0o600)
  return secret
}

/**
 * s3rver on a free port, its data kept in .data/s3rver.
 * @param {number} s3Port @returns {Promise<() => Promise<void>>} stop
 */
async function startS3rver(s3Port) {
  // @ts-expect-error s3rver ships no types; only its constructor, run() and close() are used.
  const { default: S3rver } = await import('s3rver')
  const server = new S3rver({
    address: '127.0.0.1',
    port: s3Port,
    silent: true,
    directory: path.join(dataDir, 's3rver'),
  })
  await server.run()
  return async () => {
    // close() waits for idle keep-alive sockets (the Worker keeps some open), so drop them first.
    server.httpServer?.closeAllConnections?.()
    await server.close().catch(() => {})
  }
}

async function main() {
  /** @type {{ port?: string, s3?: string }} */
  let flags
  try {
    flags = parseArgs({ options: { port: { type: 'string' }, s3: { type: 'string' } } }).values
  } catch (err) {
    fail(`${/** @type {Error} */ (err).message}; usage: npm run dev -- [--port <n>] [--s3 rgw|s3rver]`)
  }
  const pagePort = port(flags.port ? '--port' : 'PORT', flags.port ?? process.env.PORT ?? String(DEFAULT_PORT))
  if (!(await portIsFree(pagePort))) {
    const next = pagePort === 65535 ? pagePort - 1 : pagePort + 1
    fail(
      `port ${pagePort} is already in use (another \`npm run dev\`?); choose another with ` +
        `\`npm run dev -- --port ${next}\` or PORT=${next}.`,
    )
  }
  const devVars = readDevVars(path.join(ROOT, '.dev.vars'))
  // Blank counts as unset, as in src/config.ts.
  const inDevVars = (/** @type {string} */ name) => (devVars[name] ?? '').trim() !== ''

  /** @type {Record<string, string>} */
  const vars = { DEV_SIGNIN: 'true', DEV_SESSION_SECRET: devSessionSecret(), UPLOAD_MAX_BYTES: DEV_UPLOAD_MAX_BYTES }
  /** @type {(() => Promise<void>)[]} */
  const stops = []
  /** @type {Promise<unknown> | undefined} */
  let bucketReady
  let s3Line = 'S3_ENDPOINT from .dev.vars'
  if (!inDevVars('S3_ENDPOINT')) {
    const choice = flags.s3 ?? process.env.DEV_S3 ?? ''
    if (!['', 'rgw', 's3rver'].includes(choice)) fail(`DEV_S3 (or --s3) must be "rgw" or "s3rver", got "${choice}"`)
    const rgw = choice === 's3rver' ? null : rgwAvailable()
    if (rgw && !rgw.ok && choice === 'rgw') fail(rgw.reason)
    const useRgw = rgw?.ok === true
    const credentials = useRgw ? RGW_CREDENTIALS : S3RVER_CREDENTIALS
    const [s3Port] = await freePorts(1)
    const endpoint = `http://127.0.0.1:${s3Port}`
    const bucket = new S3Bucket({
      endpoint,
      bucket: inDevVars('S3_BUCKET') ? devVars.S3_BUCKET.trim() : DEFAULT_BUCKET,
      credentials,
    })
    Object.assign(vars, {
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket.name,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    })
    const origins = [`http://localhost:${pagePort}`, `http://127.0.0.1:${pagePort}`]
    if (useRgw) {
      s3Line = `Ceph RGW at ${endpoint}, in RAM: its files vanish when this stops`
      say(`starting Ceph RGW (about half a minute)…`)
      bucketReady = startRgw({ port: s3Port, ...credentials }).then(async (started) => {
        stops.push(started.stop)
        await bucket.create(origins)
      })
    } else {
      s3Line = `s3rver at ${endpoint}, files kept in .data/s3rver`
      const why = choice === 's3rver' ? 'as asked' : 'Ceph RGW is not installed'
      say(
        `using s3rver (${why}): uploads over 100 MiB fail (no multipart completion) and nothing checks ` +
          `signatures or upload policies; for the real thing: ${RGW_APT}`,
      )
      stops.push(await startS3rver(s3Port))
      bucketReady = bucket.create(origins)
    }
  }

  /** @type {Record<string, string>} */
  const passed = {}
  // A --var beats .dev.vars, so a name the developer set there is not passed.
  for (const [name, value] of Object.entries(vars)) if (!inDevVars(name)) passed[name] = value

  const stopAll = async () => {
    for (const stop of stops) await stop().catch((err) => console.error(`bucketgate: ${err.message}`))
  }
  // wrangler and the bucket start together; RGW is the slower one.
  const [worker, bucketResult] = await Promise.allSettled([
    startWranglerDev({ port: pagePort, vars: passed, devVars: true, stdio: 'inherit' }),
    bucketReady,
  ])
  if (worker.status === 'rejected' || bucketResult.status === 'rejected') {
    if (worker.status === 'fulfilled') await worker.value.stop()
    await stopAll()
    const err =
      worker.status === 'rejected' ? worker.reason : /** @type {PromiseRejectedResult} */ (bucketResult).reason
    fail(String(err?.message ?? err))
  }
  const dev = worker.value
  stops.unshift(dev.stop)
  say(`ready at http://localhost:${pagePort} (bucket: ${s3Line}); Ctrl+C stops it all`)

  /** @type {Promise<void> | undefined} */
  let stopping
  const stop = (/** @type {number} */ code) => (stopping ??= stopAll().then(() => process.exit(code)))
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) process.on(signal, () => stop(0))
  dev.exited.then((how) => stop(how === 'exit 0' ? 0 : 1))
}

main().catch((err) => fail(err?.stack ?? String(err)))
