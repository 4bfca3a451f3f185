// Token verification with Hono's JWT utilities. Security rule: identity is only ever the `sub` of a
// token whose signature, algorithm, expiry (required), not-before, issuer and audience all check out.
// HS256 tokens use AUTH_JWT_SECRET; others use AUTH_JWKS_URL, whose key set jwks.ts caches.
import { decode, verify, verifyWithJwks } from 'hono/jwt'
import type { Config } from '../config'
import { ApiError } from '../errors'
import { JwksUnavailable, keysFor } from './jwks'

/** Tolerated clock skew between us and the token issuer, in seconds. */
const CLOCK_TOLERANCE_S = 30

export const DEV_ISSUER = 'bucketgate-dev'

const JWKS_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'] as const

type Claims = { sub?: unknown; exp?: unknown; nbf?: unknown }

// Hono checks exp/nbf without any skew allowance and does not require exp; these checks do both.
const timeChecksOff = { exp: false, nbf: false, iat: false }

/** exp (required) and nbf with the skew allowance, then the subject. */
function subjectOf(payload: Claims): string {
  const now = Math.floor(Date.now() / 1000)
  const { exp, nbf, sub } = payload
  if (typeof exp !== 'number' || !Number.isFinite(exp))
    throw new ApiError(401, 'invalid_token', 'The token has no expiry')
  if (exp <= now - CLOCK_TOLERANCE_S) throw new ApiError(401, 'token_expired', 'The token has expired')
  if (nbf !== undefined && (typeof nbf !== 'number' || !(nbf <= now + CLOCK_TOLERANCE_S))) {
    throw new ApiError(401, 'invalid_token', "The token's nbf claim is not accepted")
  }
  if (typeof sub !== 'string' || sub === '') throw new ApiError(401, 'invalid_token', 'The token has no subject')
  return sub
}

/** Hono's JWT errors (by name: the classes are not exported) → 401 with a reason that leaks nothing. */
function refused(err: unknown): ApiError {
  if (err instanceof ApiError) return err
  if (err instanceof JwksUnavailable) {
    return new ApiError(401, 'invalid_token', 'The token could not be checked against the key set')
  }
  const name = err instanceof Error ? err.name : ''
  if (name === 'JwtTokenIssuer') return new ApiError(401, 'invalid_token', "The token's iss claim is not accepted")
  if (name === 'JwtTokenAudience' || name === 'JwtPayloadRequiresAud') {
    return new ApiError(401, 'invalid_token', "The token's aud claim is not accepted")
  }
  return new ApiError(401, 'invalid_token', 'The token is not valid')
}

/** Verifies a bearer / Cloudflare Access token and returns its subject; throws 401 otherwise. */
export async function verifyToken(token: string, auth: Config['auth']): Promise<string> {
  try {
    const { header } = decode(token)
    const claims = { iss: auth.issuer, aud: auth.audience, ...timeChecksOff }
    if (header.alg === 'HS256' && auth.jwtSecret) {
      return subjectOf(await verify(token, auth.jwtSecret, { alg: 'HS256', ...claims }))
    }
    if (auth.jwksUrl) {
      const keys = await keysFor(auth.jwksUrl, header.kid)
      return subjectOf(await verifyWithJwks(token, { keys, allowedAlgorithms: JWKS_ALGORITHMS, verification: claims }))
    }
    throw new ApiError(401, 'invalid_token', 'The token is not valid')
  } catch (err) {
    throw refused(err)
  }
}

/** Verifies a dev sign-in session token (HS256 with DEV_SESSION_SECRET, issuer bucketgate-dev). */
export async function verifyDevSession(token: string, secret: string): Promise<string> {
  try {
    const claims = { alg: 'HS256' as const, iss: DEV_ISSUER, aud: DEV_ISSUER, ...timeChecksOff }
    return subjectOf(await verify(token, secret, claims))
  } catch (err) {
    throw refused(err)
  }
}
