// Helpers for the benchmark: its bucket, its Workers under `wrangler dev`, statistics.
import { SignJWT } from 'jose'
import { S3Bucket } from '../scripts/lib/s3-admin.mjs'
import { ROOT, startWranglerDev as launch } from '../scripts/lib/wrangler-dev.mjs'

export const root = ROOT

/** Puts stand-in JPEGs at `keys` (32 at a time) in `bucket`, an S3Bucket. */
export async function putImages(bucket, keys) {
  await bucket.putMany(keys, 'not really a jpeg', 'image/jpeg')
}

/** The bucket the benchmarks fill, on `endpoint`, created if need be. */
export async function benchBucket(endpoint, name, credentials) {
  const bucket = new S3Bucket({ endpoint, bucket: name, credentials })
  await bucket.create()
  return bucket
}

/**
 * A bench Worker under `wrangler dev` (scripts/lib/wrangler-dev.mjs): free ports, only `vars` as
 * settings, its own process group. With inspector: false the same Worker runs with workerd's
 * inspector off, to check that the inspector does not change the numbers.
 */
export function startWranglerDev({ config, vars = {}, inspector = true }) {
  // Fresh Durable Object state each time: a ledger left by an earlier run would skew the next.
  return launch({
    config,
    vars,
    inspector,
    freshState: true,
    readyPath: '/__bench/ready',
    args: ['--log-level', 'error'],
  })
}

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] }
}

export async function timed(fn) {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

export const fmt = (n, digits = 1) => n.toFixed(digits)

/** The HS256 secret every benchmarked bucketgate verifies tokens with (AUTH_JWT_SECRET). */
export const JWT_SECRET = 'bench-only-hs256-secret-0123456789abcdef'

/** A token for user `sub`, valid for the whole benchmark. */
export const tokenFor = (sub) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(JWT_SECRET))
