// Hono's JWT utilities plus our claim rules: exp required, 30 s skew both ways, sub required; the
// JWKS is fetched once, refreshed for an unknown kid at most every 30 s, and re-read after 10 min.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { importJWK, SignJWT, type JWK } from 'jose'
import { keysFor } from '../../../src/auth/jwks'
import { verifyToken } from '../../../src/auth/tokens'
import { config, TEST_AUTH, testEnv } from '../../helpers'

const secret = new TextEncoder().encode(TEST_AUTH.jwtSecret)
const now = () => Math.floor(Date.now() / 1000)

function hs256(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret)
}
const base = { iss: TEST_AUTH.issuer, aud: TEST_AUTH.audience }

describe('verifyToken claim rules', () => {
  it('accepts exp and nbf within 30 s of skew, refuses beyond it', async () => {
    const ok = await hs256({ ...base, sub: 'a', exp: now() - 10, nbf: now() + 10 })
    expect(await verifyToken(ok, config.auth)).toBe('a')
    await expect(verifyToken(await hs256({ ...base, sub: 'a', exp: now() - 40 }), config.auth)).rejects.toMatchObject({
      status: 401,
      code: 'token_expired',
    })
    await expect(
      verifyToken(await hs256({ ...base, sub: 'a', exp: now() + 60, nbf: now() + 40 }), config.auth),
    ).rejects.toMatchObject({ status: 401, code: 'invalid_token' })
  })

  it.each([
    ['no sub', { ...base, exp: now() + 60 }],
    ['an empty sub', { ...base, sub: '', exp: now() + 60 }],
    ['a non-numeric exp', { ...base, sub: 'a', exp: 'tomorrow' }],
    ['no aud', { iss: base.iss, sub: 'a', exp: now() + 60 }],
    ['no iss', { aud: base.aud, sub: 'a', exp: now() + 60 }],
  ])('refuses a token with %s', async (_, claims) => {
    await expect(verifyToken(await hs256(claims), config.auth)).rejects.toMatchObject({
      status: 401,
      code: 'invalid_token',
    })
  })

  it('refuses an HS256 token on the JWKS path (no secret configured)', async () => {
    const token = await hs256({ ...base, sub: 'a', exp: now() + 60 })
    await expect(verifyToken(token, { ...config.auth, jwtSecret: undefined })).rejects.toMatchObject({ status: 401 })
  })

  it('accepts an RS256 token from the JWKS', async () => {
    const key = await importJWK(JSON.parse(testEnv.TEST_JWKS_PRIVATE_KEY) as JWK, 'RS256')
    const token = await new SignJWT({ ...base, sub: 'rsa', exp: now() + 60 })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' })
      .sign(key)
    expect(await verifyToken(token, config.auth)).toBe('rsa')
  })
})

describe('the JWKS cache', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  it('fetches once, refreshes for an unknown kid only after the cool-down, and after 10 min', async () => {
    const url = `${config.auth.jwksUrl}?cache-test=${crypto.randomUUID()}`
    const fetches = vi.spyOn(globalThis, 'fetch')
    const calls = () => fetches.mock.calls.filter(([input]) => String(input) === url).length
    vi.useFakeTimers({ toFake: ['Date'] })
    const t0 = Date.now()

    expect((await keysFor(url, 'test-key-1')).map((k) => k.kid)).toEqual(['test-key-1'])
    await keysFor(url, 'test-key-1')
    await keysFor(url, 'rotated-key')
    expect(calls()).toBe(1)

    vi.setSystemTime(t0 + 31_000)
    await keysFor(url, 'test-key-1')
    expect(calls()).toBe(1)
    await keysFor(url, 'rotated-key')
    expect(calls()).toBe(2)
    await keysFor(url, 'rotated-key')
    expect(calls()).toBe(2)

    vi.setSystemTime(t0 + 31_000 + 10 * 60_000)
    await keysFor(url, 'test-key-1')
    expect(calls()).toBe(3)
  })
})
