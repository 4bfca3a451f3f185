// Identity comes only from a verified token: every bad token is 401, dev sign-in only on loopback.
import { describe, expect, it } from 'vitest'
import { importJWK, SignJWT, type JWK } from 'jose'
import app from '../../src/index'
import { api, errorOf, TEST_AUTH, testEnv, tokenFor } from '../helpers'

function b64url(obj: unknown): string {
  return btoa(JSON.stringify(obj)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

async function me(headers: Record<string, string>, url = 'http://localhost/api/me') {
  return app.request(url, { headers }, testEnv)
}

async function rsaToken(
  claims: { sub?: string; iss?: string; aud?: string; exp?: number; nbf?: number },
  kid = 'test-key-1',
) {
  const jwk = JSON.parse(testEnv.TEST_JWKS_PRIVATE_KEY) as JWK
  const key = await importJWK(jwk, 'RS256')
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ ...(claims.nbf ? { nbf: claims.nbf } : {}) })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setSubject(claims.sub ?? 'access-user')
    .setIssuer(claims.iss ?? TEST_AUTH.issuer)
    .setAudience(claims.aud ?? TEST_AUTH.audience)
    .setExpirationTime(claims.exp ?? now + 300)
    .sign(key)
}

describe('bearer tokens (HS256 with AUTH_JWT_SECRET)', () => {
  it('a valid token identifies its subject', async () => {
    const res = await me({ Authorization: `Bearer ${await tokenFor('alice')}` })
    expect(res.status).toBe(200)
    // The page's rules come from here: inline extensions as the server signs them (jpg and jpeg both).
    expect(await res.json()).toMatchObject({
      id: 'alice',
      limits: {
        maxBytes: 1048576,
        partBytes: 8 * 1024 * 1024,
        inlineExtensions: ['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif'],
      },
    })
  })

  it('no token is 401 on every route that needs one', async () => {
    expect(await errorOf(await me({}))).toMatchObject({ status: 401, code: 'unauthenticated' })
    const routes: [string, string][] = [
      ['GET', '/api/files'],
      ['GET', '/api/files?limit=5'],
      ['GET', '/api/files/a.txt'],
      ['DELETE', '/api/files/a.txt'],
      ['POST', '/api/uploads'],
    ]
    for (const [method, path] of routes) {
      const res = await api(path, {
        method,
        headers: { Origin: 'http://localhost' },
        json: method === 'POST' ? {} : undefined,
      })
      expect(await errorOf(res), `${method} ${path}`).toMatchObject({ status: 401, code: 'unauthenticated' })
    }
  })

  it.each([
    ['expired', () => tokenFor('alice', { expiresIn: Math.floor(Date.now() / 1000) - 120 }), 'token_expired'],
    [
      'signed with another secret',
      () => tokenFor('alice', { secret: 'another-secret-that-is-long-enough-0123' }),
      'invalid_token',
    ],
    ['from another issuer', () => tokenFor('alice', { issuer: 'https://evil.test' }), 'invalid_token'],
    ['for another audience', () => tokenFor('alice', { audience: 'someone-else' }), 'invalid_token'],
    [
      'alg none',
      async () =>
        `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'alice', exp: 9999999999, iss: TEST_AUTH.issuer, aud: TEST_AUTH.audience })}.`,
      'invalid_token',
    ],
    ['garbage', async () => 'not.a.jwt', 'invalid_token'],
  ])('a token %s is 401', async (_, make, code) => {
    const res = await me({ Authorization: `Bearer ${await make()}` })
    expect(await errorOf(res)).toMatchObject({ status: 401, code })
  })

  it('a token without exp is 401', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setIssuer(TEST_AUTH.issuer)
      .setAudience(TEST_AUTH.audience)
      .sign(new TextEncoder().encode(TEST_AUTH.jwtSecret))
    expect((await me({ Authorization: `Bearer ${token}` })).status).toBe(401)
  })

  it('a malformed Authorization header is 401, not a fall-through to cookies', async () => {
    const res = await me({ Authorization: 'Basic YWxpY2U6eA==' })
    expect(await errorOf(res)).toMatchObject({ status: 401, code: 'invalid_token' })
  })
})

describe('Cloudflare Access / JWKS tokens', () => {
  it('a token signed by the JWKS key is accepted from the header and the cookie', async () => {
    const token = await rsaToken({ sub: 'access-user' })
    const viaHeader = await me({ 'Cf-Access-Jwt-Assertion': token })
    expect(viaHeader.status).toBe(200)
    expect(await viaHeader.json()).toMatchObject({ id: 'access-user' })
    const viaCookie = await me({ Cookie: `CF_Authorization=${token}` })
    expect(viaCookie.status).toBe(200)
  })

  it.each([
    ['with an unknown kid', () => rsaToken({}, 'unknown-kid')],
    ['expired', () => rsaToken({ exp: Math.floor(Date.now() / 1000) - 120 })],
    ['not yet valid', () => rsaToken({ nbf: Math.floor(Date.now() / 1000) + 3600 })],
    ['from another issuer', () => rsaToken({ iss: 'https://evil.test' })],
    ['for another audience', () => rsaToken({ aud: 'other-app' })],
  ])('a JWKS token %s is 401', async (_, make) => {
    expect((await me({ 'Cf-Access-Jwt-Assertion': await make() })).status).toBe(401)
  })
})

describe('dev sign-in', () => {
  it('signs in by name on loopback with an HttpOnly SameSite=Strict cookie, and signs out', async () => {
    const res = await api('/api/auth/dev', { method: 'POST', json: { name: 'Dana' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ id: 'dana' })
    const cookie = res.headers.get('Set-Cookie') ?? ''
    expect(cookie).toMatch(/^bucketgate_dev=[^;]+/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const session = cookie.split(';')[0]
    const who = await me({ Cookie: session })
    expect(await who.json()).toMatchObject({ id: 'dana' })
    const out = await api('/api/auth/dev', { method: 'DELETE', headers: { Origin: 'http://localhost' } })
    expect(out.status).toBe(204)
    expect(out.headers.get('Set-Cookie')).toMatch(/bucketgate_dev=;.*Max-Age=0/)
  })

  it('a cross-site sign-out or sign-in form post is refused', async () => {
    const res = await api('/api/auth/dev', { method: 'DELETE', headers: { Origin: 'https://evil.example' } })
    expect(await errorOf(res)).toMatchObject({ status: 403, code: 'forbidden' })
  })

  it('a forged session cookie is 401', async () => {
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('dana')
      .setIssuer('bucketgate-dev')
      .setAudience('bucketgate-dev')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-different-secret-that-is-32-chars-long'))
    expect((await me({ Cookie: `bucketgate_dev=${forged}` })).status).toBe(401)
  })

  it('refuses unusable names', async () => {
    const res = await api('/api/auth/dev', { method: 'POST', json: { name: '../bob' } })
    expect(await errorOf(res)).toMatchObject({ status: 400, code: 'invalid_request' })
  })

  it('is refused outright when the host is not loopback', async () => {
    for (const url of [
      'http://bucketgate.example.com/api/auth',
      'http://bucketgate.example.com/api/me',
      'http://10.0.0.1/',
    ]) {
      const res = await app.request(url, {}, testEnv)
      expect(await errorOf(res)).toMatchObject({ status: 403, code: 'dev_signin_not_allowed' })
    }
  })

  it('is off (404) when DEV_SIGNIN is not set, and a dev cookie then identifies nobody', async () => {
    const bindings = { ...testEnv, DEV_SIGNIN: 'false' }
    const signIn = await api('/api/auth/dev', { method: 'POST', json: { name: 'dana' } }, bindings)
    expect(signIn.status).toBe(404)
    const options = await app.request('https://bucketgate.example.com/api/auth', {}, bindings)
    expect(await options.json()).toEqual({ devSignIn: false })
    const session = (await api('/api/auth/dev', { method: 'POST', json: { name: 'dana' } })).headers
      .get('Set-Cookie')!
      .split(';')[0]
    expect(
      (await app.request('https://bucketgate.example.com/api/me', { headers: { Cookie: session } }, bindings)).status,
    ).toBe(401)
  })
})
