// npm run bench's end-to-end part: bucketgate served by `npm start` (plain workerd) against the
// reference, Flask + boto3 under gunicorn with 2 workers (bench/reference/app.py), both talking to
// the same RGW. The same load generator (autocannon, 50 connections) runs both, rounds interleaved.
import { loadavg } from 'node:os'
import { AwsClient } from 'aws4fetch'
import autocannon from 'autocannon'
import { SignJWT } from 'jose'
import { startRgw } from '../test/setup/rgw.ts'
import { fmt, putImages, stats } from './lib.mjs'
import {
  build,
  groupCpuSeconds,
  REFERENCE_PACKAGES,
  referenceMissing,
  startBucketgate,
  startReference,
} from './servers.mjs'

const CREDENTIALS = { accessKeyId: 'bucketgate-e2e', secretAccessKey: 'bucketgate-e2e-secret-0123456789' }
const BUCKET = 'bucketgate-e2e'
const JWT_SECRET = 'bench-only-hs256-secret-0123456789abcdef'
const CONNECTIONS = 50
const LISTED = 100
const TICKET_BODY = JSON.stringify({ name: 'holiday photo.jpg', type: 'image/jpeg', size: 123456 })

/** The requests compared; `reference: null` is a bucketgate-only row (the reference has no auth). */
function requests(bg, ref, tokens) {
  const auth = { Authorization: `Bearer ${tokens.lister}` }
  const uploader = { Authorization: `Bearer ${tokens.uploader}` }
  const json = { 'Content-Type': 'application/json' }
  return [
    {
      title: 'no-work route (floor)',
      bucketgate: { url: `${bg}/api/auth` },
      reference: { url: `${ref}/noop` },
    },
    {
      title: 'JWT verified, nothing else (GET /api/me)',
      bucketgate: { url: `${bg}/api/me`, headers: auth },
      reference: null,
    },
    {
      title: 'upload ticket (POST policy)',
      bucketgate: { url: `${bg}/api/uploads`, method: 'POST', headers: { ...uploader, ...json }, body: TICKET_BODY },
      reference: { url: `${ref}/ticket?user=uploader`, method: 'POST', headers: json, body: TICKET_BODY },
    },
    {
      title: `listing of ${LISTED} objects, a URL each`,
      bucketgate: { url: `${bg}/api/files?limit=1000`, headers: auth },
      reference: { url: `${ref}/list?user=bench` },
    },
  ]
}

async function fillBucket(endpoint) {
  const aws = new AwsClient({ ...CREDENTIALS, service: 's3', region: 'us-east-1', retries: 0 })
  const created = await aws.fetch(`${endpoint}/${BUCKET}`, { method: 'PUT' })
  if (!created.ok) throw new Error(`create bucket: ${created.status} ${await created.text()}`)
  const keys = Array.from({ length: LISTED }, (_, i) => `users/bench/${(1e15 + i).toString(36)}/photo ${i}.jpg`)
  await putImages(aws, endpoint, BUCKET, keys)
}

/** Both do the same job: the listing has every object, and a ticket really uploads to the bucket. */
async function checkSameJob(target, name) {
  const list = await fetch(target.list.url, { headers: target.list.headers })
  const files = (await list.json()).files
  if (files?.length !== LISTED) throw new Error(`${name} listed ${files?.length} objects, not ${LISTED}`)
  // Tickets are for another user than the listing's, so this upload leaves the listing as it was.
  const signed = await (await fetch(target.ticket.url, target.ticket)).json()
  const form = new FormData()
  for (const [k, v] of Object.entries(signed.upload.fields)) form.append(k, v)
  form.append('file', new Blob([new Uint8Array(123456)], { type: 'image/jpeg' }))
  const upload = await fetch(signed.upload.url, { method: 'POST', body: form })
  if (!upload.ok) throw new Error(`${name}'s ticket was refused by S3: ${upload.status} ${await upload.text()}`)
}

/** One autocannon run; CPU seconds of the server's process group and of this process around it. */
async function load(target, seconds, pgid) {
  const cpu0 = groupCpuSeconds(pgid)
  const own0 = process.cpuUsage()
  const result = await autocannon({ ...target, connections: CONNECTIONS, duration: seconds })
  const own = process.cpuUsage(own0)
  return {
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    serverCpu: (groupCpuSeconds(pgid) - cpu0) / seconds,
    loadCpu: (own.user + own.system) / 1e6 / seconds,
  }
}

export async function endToEnd({ say, quick }) {
  const missing = referenceMissing()
  if (missing) {
    say(`### End to end against Flask + boto3: skipped (${missing}; ${REFERENCE_PACKAGES})`)
    say()
    return
  }
  const rounds = quick ? 1 : 3
  const seconds = quick ? 5 : 10
  build()
  const rgw = await startRgw(CREDENTIALS)
  const servers = []
  try {
    await fillBucket(rgw.endpoint)
    const settings = {
      S3_ENDPOINT: rgw.endpoint,
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    }
    const bg = await startBucketgate({ ...settings, AUTH_JWT_SECRET: JWT_SECRET })
    servers.push(bg)
    const ref = await startReference(settings)
    servers.push(ref)
    const tokenFor = (sub) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setExpirationTime('2h')
        .sign(new TextEncoder().encode(JWT_SECRET))
    const tokens = { lister: await tokenFor('bench'), uploader: await tokenFor('uploader') }
    const rows = requests(bg.url, ref.url, tokens)
    const byName = (side) => ({ ticket: rows[2][side], list: rows[3][side] })
    await checkSameJob(byName('bucketgate'), 'bucketgate')
    await checkSameJob(byName('reference'), 'the reference')

    const runners = { bucketgate: bg, reference: ref }
    const results = new Map() // `${row} ${side}` → one result per round
    for (const row of rows) {
      for (const side of Object.keys(runners)) if (row[side]) await load(row[side], 2, runners[side].pgid) // warm-up
    }
    for (let round = 0; round < rounds; round++) {
      for (const row of rows) {
        // Alternate who goes first, so neither always meets the other's leftovers.
        const sides = round % 2 ? ['reference', 'bucketgate'] : ['bucketgate', 'reference']
        for (const side of sides) {
          if (!row[side]) continue
          const key = `${row.title} ${side}`
          results.set(key, [...(results.get(key) ?? []), await load(row[side], seconds, runners[side].pgid)])
        }
      }
    }

    const median = (xs, f) => stats(xs.map(f)).median
    const cell = (xs) =>
      xs
        ? `${fmt(
            median(xs, (r) => r.rps),
            0,
          )} | ${fmt(median(xs, (r) => r.p50))} / ${fmt(median(xs, (r) => r.p99))}`
        : '– | –'
    say(`### End to end: bucketgate (npm start) and Flask + boto3 (gunicorn -w 2 -k gthread), same RGW`)
    say()
    say(
      `autocannon, ${CONNECTIONS} connections, ${seconds} s a run, ${rounds} interleaved round(s); medians over rounds.`,
    )
    say()
    say(
      '| request | bucketgate req/s | p50 / p99 ms | reference req/s | p50 / p99 ms | bucketgate ÷ reference | errors (bucketgate / reference) | server CPU µs a request (bucketgate / reference) |',
    )
    say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    for (const row of rows) {
      const b = results.get(`${row.title} bucketgate`)
      const r = results.get(`${row.title} reference`)
      const ratio = r
        ? (() => {
            const s = stats(b.map((x, i) => x.rps / r[i].rps))
            return `**${fmt(s.median, 2)}×** (${fmt(s.min, 2)}–${fmt(s.max, 2)})`
          })()
        : '–'
      const errorCount = (xs) => (xs ? xs.reduce((n, x) => n + x.errors, 0) : '–')
      const errors = `${errorCount(b)} / ${errorCount(r)}`
      // CPU per request hardly depends on what else runs on the machine; requests/s does.
      const cpuPerRequest = (xs) =>
        xs
          ? fmt(
              median(xs, (x) => (x.serverCpu / x.rps) * 1e6),
              0,
            )
          : '–'
      say(
        `| ${row.title} | ${cell(b)} | ${cell(r)} | ${ratio} | ${errors} | ${cpuPerRequest(b)} / ${cpuPerRequest(r)} |`,
      )
    }
    say()
    say('CPU in use during the runs (1.00 = one core busy), medians:')
    say()
    say('| request | workerd (npm start) | load generator | gunicorn (2 workers) | load generator |')
    say('| --- | ---: | ---: | ---: | ---: |')
    for (const row of rows) {
      const cpu = (side) => {
        const xs = results.get(`${row.title} ${side}`)
        return xs
          ? `${fmt(
              median(xs, (x) => x.serverCpu),
              2,
            )} | ${fmt(
              median(xs, (x) => x.loadCpu),
              2,
            )}`
          : '– | –'
      }
      say(`| ${row.title} | ${cpu('bucketgate')} | ${cpu('reference')} |`)
    }
    say()
    say(
      `load average after the runs: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    )
    say()
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
    await rgw.stop()
  }
}
