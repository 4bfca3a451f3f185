// `npm start`: serves dist/ (npm run build) with plain workerd, no wrangler. Settings come from the
// environment, then a .env file in the working directory (the environment wins); they are checked
// with the Worker's own parser before workerd starts. HOST, PORT, DATA_DIR, TRUST_PROXY and
// DURABLE_OBJECTS are this server's own settings (docs/self-hosting.md).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseEnv } from 'node:util'
// The workerd binary that npm install brought (the package's CommonJS default is its path).
import workerdPackage from 'workerd'
import { workerdConfig } from './workerd/capnp-config.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist')

function fail(message) {
  console.error(`npm start: ${message}`)
  process.exit(2)
}

function serverOptions(env) {
  const host = (env.HOST ?? '127.0.0.1').trim()
  const port = (env.PORT ?? '8787').trim()
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) fail(`PORT must be 1-65535, got ${port}`)
  return {
    host,
    address: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    dataDir: resolve(env.DATA_DIR?.trim() || '.data/workerd'),
    trustProxy: flag(env, 'TRUST_PROXY', false),
    durableObjects: flag(env, 'DURABLE_OBJECTS', true),
  }
}

function flag(env, name, unset) {
  const value = (env[name] ?? '').trim().toLowerCase()
  if (!['true', 'false', '1', '0', ''].includes(value)) fail(`${name} must be true or false, got ${value}`)
  return value === '' ? unset : value === 'true' || value === '1'
}

if (!existsSync(join(dist, 'manifest.json'))) fail('no dist/manifest.json: run npm run build first')
const built = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'))
const { ConfigError, SETTING_NAMES, needsLedger, parseConfig } = await import(join(dist, 'settings.mjs'))

const envFile = resolve(process.env.ENV_FILE ?? '.env')
const env = { ...(existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {}), ...process.env }
const { durableObjects, ...server } = serverOptions(env)
// Without Durable Objects the Worker runs as it does without the LEDGER binding on Cloudflare.
const manifest = durableObjects ? built : { ...built, durableObjects: [] }
// Unset settings stay unbound (workerd would bind an unset variable as null, which no setting takes).
const settingNames = SETTING_NAMES.filter((name) => env[name] !== undefined)
try {
  const config = parseConfig({ ...manifest.vars, ...Object.fromEntries(settingNames.map((n) => [n, env[n]])) })
  // The Worker's loopback check reads the Host header, which any client can set once the socket is
  // reachable from elsewhere: dev sign-in only when the socket itself is loopback.
  if (config.auth.devSignIn && !/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(server.host)) {
    fail(`DEV_SIGNIN trusts a typed name; it is refused with HOST=${server.host} (loopback only)`)
  }
  if (!durableObjects && needsLedger(config)) {
    fail('USER_QUOTA_BYTES, USER_QUOTA_FILES and WEBHOOK_URL need the ledger: unset them or DURABLE_OBJECTS=false')
  }
} catch (err) {
  if (err instanceof ConfigError) fail(err.message)
  throw err
}
for (const binding of manifest.absent) console.warn(`npm start: ${binding} has no workerd equivalent; unbound`)

if (manifest.durableObjects.length > 0) mkdirSync(server.dataDir, { recursive: true, mode: 0o700 })
// The config holds no secret (settings are fromEnvironment bindings), only paths and names.
const configDir = mkdtempSync(join(tmpdir(), 'bucketgate-workerd-'))
const configFile = join(configDir, 'bucketgate.capnp')
writeFileSync(configFile, workerdConfig({ manifest, configDir, distDir: dist, settings: settingNames, ...server }))

// Further arguments go to workerd. A listening socket handed down with `--socket-fd http=N` (systemd
// socket activation, or several processes sharing one socket) must reach workerd as the same fd.
const args = process.argv.slice(2)
const stdio = ['inherit', 'inherit', 'inherit']
let listening = `http://${server.address}`
for (const [i, arg] of args.entries()) {
  const fd = /^--socket-fd(?:=|$)/.test(arg) && /=(\d+)$/.exec(arg.includes('=') ? arg : (args[i + 1] ?? ''))?.[1]
  if (fd) {
    stdio[Number(fd)] = Number(fd)
    listening = `the socket handed down as fd ${fd}`
  }
}
const child = spawn(workerdPackage.default, ['serve', configFile, ...args], {
  stdio: Array.from(stdio, (s) => s ?? 'ignore'),
  env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)),
})
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopping = true
    child.kill(signal)
  })
}
child.on('exit', (code, signal) => {
  rmSync(configDir, { recursive: true, force: true })
  // Stopped on request (systemd's SIGTERM) is a clean exit; killed from elsewhere is not.
  process.exit(signal ? (stopping ? 0 : 1) : (code ?? 1))
})
console.log(`bucketgate: starting workerd on ${listening} (dist/ built by npm run build)`)
