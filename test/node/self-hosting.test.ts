// npm start's own rules, without a browser: bad settings stop it before anything listens (with the
// Worker's own message), dev sign-in only on a loopback socket, and the workerd config it writes
// binds what the manifest and the environment say (settings, proxy trust, Durable Objects on disk,
// rate limits counted in the process); without Durable Objects, several processes serve one port.
import { execFileSync, spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { SignJWT } from 'jose'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { startSelfHosted } from '../../scripts/lib/self-hosted.mjs'
import { workerdConfig } from '../../scripts/workerd/capnp-config.mjs'
import rateLimiter from '../../scripts/workerd/rate-limit.js'

const ROOT = resolve(import.meta.dirname, '../..')
const VALID = {
  S3_ENDPOINT: 'http://127.0.0.1:9',
  S3_BUCKET: 'self-hosting-test',
  S3_ACCESS_KEY_ID: 'key',
  S3_SECRET_ACCESS_KEY: 'secret',
  AUTH_JWT_SECRET: 'a-test-only-secret-of-32-characters!',
}

/** npm start with exactly `env` (nothing from a .env), as far as it gets on its own. */
function start(env: Record<string, string>) {
  const { PATH, HOME } = process.env
  return spawnSync(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: { PATH, HOME, ENV_FILE: '/dev/null', PORT: '1', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  })
}

describe('npm start', () => {
  // npm run build: a few seconds, longer on a busy machine.
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore' })
  }, 120_000)

  it('exits 2 with the Worker’s own message when a setting is missing or wrong', () => {
    const missing = start({ ...VALID, S3_BUCKET: '' })
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/^npm start: Invalid configuration: S3_BUCKET /)
    const wrong = start({ ...VALID, UPLOAD_TTL_SECONDS: '5' })
    expect(wrong.status).toBe(2)
    expect(wrong.stderr).toContain('UPLOAD_TTL_SECONDS must be at least 10')
    expect(start({ ...VALID, PORT: '70000' }).stderr).toContain('PORT must be 1-65535')
  })

  it('refuses dev sign-in unless the socket is loopback', () => {
    const dev = { ...VALID, DEV_SIGNIN: 'true', DEV_SESSION_SECRET: 'x'.repeat(32) }
    const open = start({ ...dev, HOST: '0.0.0.0' })
    expect(open.status).toBe(2)
    expect(open.stderr).toContain('DEV_SIGNIN trusts a typed name; it is refused with HOST=0.0.0.0')
  })

  it('refuses quotas and webhooks without Durable Objects, which would have nowhere to count', () => {
    const quota = start({ ...VALID, DURABLE_OBJECTS: 'false', USER_QUOTA_BYTES: '1000' })
    expect(quota.status).toBe(2)
    expect(quota.stderr).toContain('USER_QUOTA_BYTES, USER_QUOTA_FILES and WEBHOOK_URL need the ledger')
    expect(start({ ...VALID, DURABLE_OBJECTS: 'no' }).stderr).toContain('DURABLE_OBJECTS must be true or false')
  })

  it('serves from two processes on one port with DURABLE_OBJECTS=false: no ledger, no share links', async () => {
    const server = await startSelfHosted({ vars: { ...VALID, DURABLE_OBJECTS: 'false' }, processes: 2 })
    try {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('stateless')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(VALID.AUTH_JWT_SECRET))
      const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }
      const workerds = execFileSync('pgrep', ['-g', String(server.pgid), 'workerd'], { encoding: 'utf8' })
      expect(workerds.trim().split('\n')).toHaveLength(2)
      // Connections go to whichever process accepts first: every one of them answers the same.
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => fetch(`${server.url}/api/me`, { headers: auth }).then((r) => r.json())),
      )
      for (const me of answers)
        expect(me).toMatchObject({ id: 'stateless', limits: { shareMaxSeconds: null }, usage: null })
      const ticket = await fetch(`${server.url}/api/uploads`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name: 'a.txt', type: 'text/plain', size: 3 }),
      })
      expect(ticket.status).toBe(200)
      const share = await fetch(`${server.url}/api/shares`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ key: 'a.txt', expiresIn: 3600 }),
      })
      expect(share.status).toBe(404)
      expect(((await share.json()) as { error: { code: string } }).error.code).toBe('shares_disabled')
    } finally {
      await server.stop()
    }
  }, 60_000)

  it('will not start several processes that hold Durable Objects', async () => {
    await expect(startSelfHosted({ vars: VALID, processes: 2 })).rejects.toThrow(
      'reuse-port.py: several processes need DURABLE_OBJECTS=false',
    )
  }, 60_000)
})

describe('the workerd config', () => {
  const manifest = {
    name: 'bucketgate',
    modules: [
      { name: 'index.js', type: 'esModule' },
      { name: 'x-sha256x4.wasm', type: 'wasm' },
    ],
    compatibilityDate: '2026-11-01',
    compatibilityFlags: [],
    vars: { UPLOAD_MODE: 'put', USER_PREFIX: 'people/' },
    assets: { binding: 'ASSETS', directory: 'static' },
    rateLimits: [{ binding: 'TICKET_LIMITER', limit: 120, period: 60 }],
    durableObjects: [{ binding: 'LEDGER', className: 'UserLedger', sql: true }],
    absent: [],
  }
  const config = (options = {}) =>
    workerdConfig({
      manifest,
      configDir: '/tmp/config',
      distDir: '/srv/app/dist',
      address: '127.0.0.1:8787',
      settings: ['S3_BUCKET', 'USER_PREFIX'],
      dataDir: '/var/lib/bucketgate',
      trustProxy: false,
      ...options,
    })

  it('binds the set settings from the environment, and the config’s vars only where none is set', () => {
    const text = config()
    expect(text).toContain('(name = "S3_BUCKET", fromEnvironment = "S3_BUCKET")')
    expect(text).toContain('(name = "USER_PREFIX", fromEnvironment = "USER_PREFIX")')
    expect(text).toContain('(name = "UPLOAD_MODE", text = "put")')
    expect(text).not.toContain('text = "people/"')
    expect(text).not.toContain('S3_ENDPOINT')
  })

  it('embeds the modules with their types, relative to the config file', () => {
    const text = config()
    expect(text).toContain('(name = "index.js", esModule = embed "../../srv/app/dist/worker/index.js")')
    expect(text).toContain('(name = "x-sha256x4.wasm", wasm = embed "../../srv/app/dist/worker/x-sha256x4.wasm")')
  })

  it('trusts X-Forwarded-Proto only when told', () => {
    expect(config()).toContain('http = ()')
    expect(config()).not.toContain('forwardedProtoHeader')
    expect(config({ trustProxy: true })).toContain('http = (forwardedProtoHeader = "X-Forwarded-Proto")')
  })

  it('keeps Durable Objects (SQLite) on local disk, and counts rate limits in the process', () => {
    const text = config()
    expect(text).toContain('(name = "object-storage", disk = (path = "/var/lib/bucketgate", writable = true))')
    expect(text).toContain('(className = "UserLedger", uniqueKey = "bucketgate-UserLedger", enableSql = true)')
    expect(text).toContain('durableObjectStorage = (localDisk = "object-storage")')
    expect(text).toContain('(name = "TICKET_LIMITER", wrapped = (moduleName = "bucketgate-internal:rate-limit"')
    expect(text).toContain('(name = "limit", json = "120"), (name = "period", json = "60")')
  })
})

describe('the rate limiter that stands in for the ratelimits binding', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('allows `limit` calls per key in a window, then refuses until the next window', async () => {
    vi.useFakeTimers()
    vi.setSystemTime(60_000 * 1000)
    const limiter = rateLimiter({ limit: 2, period: 60 })
    const answers = async (key: string, n: number) => {
      const out = []
      for (let i = 0; i < n; i++) out.push((await limiter.limit({ key })).success)
      return out
    }
    expect(await answers('alice', 3)).toEqual([true, true, false])
    expect(await answers('bob', 1)).toEqual([true])
    vi.setSystemTime(60_000 * 1001)
    expect(await answers('alice', 1)).toEqual([true])
  })
})
