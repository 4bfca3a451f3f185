// Token verification with jose. Security rule: identity is only ever the `sub` of a token whose
// signature, algorithm, expiry (required), not-before, issuer and audience all check out.
// HS256 tokens use AUTH_JWT_SECRET; others use AUTH_JWKS_URL, whose key set is cached per isolate
// (10 min) with a 30 s cool-down on forced refreshes (an unknown `kid` cannot hammer the issuer).
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose'
import type { Config } from '../config'
import { ApiError } from '../errors'

/** Tolerated clock skew between us and the token issuer, in seconds. */
const CLOCK_TOLERANCE_S = 30

export const DEV_ISSUER = 'bucketgate-dev'

const JWKS_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA']
const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>()

function remoteJwks(url: string) {
  let jwks = jwksByUrl.get(url)
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(url), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: 30_000,
      timeoutDuration: 5_000,
    })
    jwksByUrl.set(url, jwks)
  }
  return jwks
}

function refused(err: unknown): ApiError {
  if (err instanceof ApiError) return err
  if (err instanceof errors.JWTExpired) return new ApiError(401, 'token_expired', 'The token has expired')
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
    return new ApiError(401, 'invalid_token', 'The token could not be checked against the key set')
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    return new ApiError(401, 'invalid_token', `The token's ${err.claim} claim is not accepted`)
  }
  return new ApiError(401, 'invalid_token', 'The token is not valid')
}

function subjectOf(payload: JWTPayload): string {
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw new ApiError(401, 'invalid_token', 'The token has no subject')
  }
  return payload.sub
}

/** Verifies a bearer / Cloudflare Access token and returns its subject; throws 401 otherwise. */
export async function verifyToken(token: string, auth: Config['auth']): Promise<string> {
  try {
    const { alg } = decodeProtectedHeader(token)
    const claims = {
      issuer: auth.issuer,
      audience: auth.audience,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_S,
    }
    if (alg === 'HS256' && auth.jwtSecret) {
      const secret = new TextEncoder().encode(auth.jwtSecret)
      const { payload } = await jwtVerify(token, secret, { ...claims, algorithms: ['HS256'] })
      return subjectOf(payload)
    }
    if (auth.jwksUrl) {
      const { payload } = await jwtVerify(token, remoteJwks(auth.jwksUrl), { ...claims, algorithms: JWKS_ALGORITHMS })
      return subjectOf(payload)
    }
    throw new ApiError(401, 'invalid_token', 'The token is not valid')
  } catch (err) {
    throw refused(err)
  }
}

/** Verifies a dev sign-in session token (HS256 with DEV_SESSION_SECRET, issuer bucketgate-dev). */
export async function verifyDevSession(token: string, secret: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: DEV_ISSUER,
      audience: DEV_ISSUER,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
    })
    return subjectOf(payload)
  } catch (err) {
    throw refused(err)
  }
}
