// npm run bench's end-to-end part: bucketgate served by `npm start` (plain workerd) against the
// reference, Flask + boto3 under gunicorn with 2 workers (bench/reference/app.py), both talking to
// the same RGW. The same load generator (autocannon, 50 connections) runs both, rounds interleaved.
import { loadavg } from 'node:os'
import autocannon from 'autocannon'
import { startRgw } from '../scripts/lib/rgw.mjs'
import { startSelfHosted } from '../scripts/lib/self-hosted.mjs'
import { profileUnderLoad } from './e2e-profile.mjs'
import { benchBucket, fmt, JWT_SECRET, putImages, stats, tokenFor } from './lib.mjs'
import { groupCpuSeconds, REFERENCE_PACKAGES, referenceMissing, rgwCpuCounter, startReference } from './servers.mjs'

const CREDENTIALS = { accessKeyId: 'bucketgate-e2e', secretAccessKey: 'bucketgate-e2e-secret-0123456789' }
const BUCKET = 'bucketgate-e2e'
const CONNECTIONS = 50
const LISTED = 100
const TICKET_BODY = JSON.stringify({ name: 'holiday photo.jpg', type: 'image/jpeg', size: 123456 })

/**
 * Users the requests rotate through, as per-user rate limits would refuse one user's thousands of
 * requests a minute: tickets and /api/me (each user well under 120 a minute), and listings (each
 * of these users has LISTED objects, and stays under 1,200 listings a minute).
 */
const USERS = 2000
const LISTING_USERS = 30

/**
 * The requests compared, on each kind of server: `path` and the rest of a request, and `vary(i)`,
 * the i-th request's user. `reference: null` is a bucketgate-only row (the reference has no auth).
 * `everyUser`: the row's requests rotate through all USERS, and its warm-up gives each one a request.
 */
function requests(tokens) {
  const json = { 'Content-Type': 'application/json' }
  const bearer = (token) => ({ Authorization: `Bearer ${token}` })
  const user = (i) => i % USERS
  const lister = (i) => i % LISTING_USERS
  return [
    {
      title: 'no-work route (floor)',
      bucketgate: { path: '/api/auth' },
      reference: { path: '/noop' },
    },
    {
      title: 'JWT verified, one URL signed (GET /api/files/<key> → 302)',
      everyUser: true,
      bucketgate: {
        path: '/api/files/0/photo.jpg',
        vary: (i) => ({ headers: bearer(tokens.users[user(i)]) }),
        statuses: [302],
      },
      reference: null,
    },
    {
      title: 'JWT verified, usage from the ledger if any (GET /api/me)',
      everyUser: true,
      bucketgate: { path: '/api/me', vary: (i) => ({ headers: bearer(tokens.users[user(i)]) }) },
      reference: null,
    },
    {
      title: 'upload ticket (POST policy)',
      everyUser: true,
      bucketgate: {
        path: '/api/uploads',
        method: 'POST',
        headers: json,
        body: TICKET_BODY,
        vary: (i) => ({ headers: { ...json, ...bearer(tokens.users[user(i)]) } }),
      },
      reference: {
        path: '/ticket',
        method: 'POST',
        headers: json,
        body: TICKET_BODY,
        vary: (i) => ({ path: `/ticket?user=user-${user(i)}` }),
      },
    },
    {
      title: `listing of ${LISTED} objects, a URL each`,
      bucketgate: { path: '/api/files?limit=1000', vary: (i) => ({ headers: bearer(tokens.listers[lister(i)]) }) },
      reference: { path: '/list', vary: (i) => ({ path: `/list?user=lister-${lister(i)}` }) },
    },
  ]
}

/** autocannon's options for `target` on `origin`: each request takes the next user. */
function cannon(origin, { path, vary, statuses, ...request }) {
  let next = 0
  const setupRequest = (req) => {
    const v = vary(next++)
    return { ...req, ...v, headers: { ...req.headers, ...v.headers } }
  }
  return { url: origin + path, ...request, statuses, ...(vary && { requests: [{ setupRequest }] }) }
}

/** The first request of `target` on `origin`, for fetch(). */
function first(origin, { path, vary, statuses, ...request }) {
  const v = vary?.(0) ?? {}
  return [origin + (v.path ?? path), { ...request, headers: { ...request.headers, ...v.headers } }]
}

/**
 * The servers compared: what each is, which request paths it takes, and how it is started.
 * Without Durable Objects bucketgate keeps no ledger (as on Cloudflare without the LEDGER binding),
 * which says what the ledger costs, and may then run as several processes on one port.
 */
const SIDES = [
  { name: 'bucketgate', title: 'bucketgate (npm start)', paths: 'bucketgate', start: {} },
  {
    name: 'stateless',
    title: 'bucketgate without the ledger (DURABLE_OBJECTS=false)',
    paths: 'bucketgate',
    start: { vars: { DURABLE_OBJECTS: 'false' } },
  },
  {
    name: 'two',
    title: 'bucketgate without the ledger, 2 workerd processes on one port (SO_REUSEPORT)',
    paths: 'bucketgate',
    start: { vars: { DURABLE_OBJECTS: 'false' }, processes: 2 },
  },
  {
    name: 'tmpfs',
    title: 'bucketgate, its ledger on tmpfs (not durable: the disk’s share, for comparison only)',
    paths: 'bucketgate',
    start: { dataParent: '/dev/shm' },
    only: ['upload ticket (POST policy)'],
  },
  { name: 'reference', title: 'Flask + boto3 (gunicorn -w 2 -k gthread)', paths: 'reference' },
]

/**
 * Right before each timed run, the same requests, not counted, so every run meets a warm server:
 * one request for each user for rows that rotate through USERS (each user's ledger open), else
 * this many seconds.
 */
const WARM_UP_SECONDS = 2
/** workerd evicts a Durable Object idle this long (ms); a user back after it finds their ledger closed. */
const EVICTED_AFTER_MS = 10_000

async function fillBucket(endpoint) {
  const bucket = await benchBucket(endpoint, BUCKET, CREDENTIALS)
  const keys = []
  for (let u = 0; u < LISTING_USERS; u++) {
    for (let i = 0; i < LISTED; i++) keys.push(`users/lister-${u}/${(1e15 + i).toString(36)}/photo ${i}.jpg`)
  }
  await putImages(bucket, keys)
  return bucket
}

/**
 * RGW's CPU for each of the two ListObjectsV2 a bucketgate listing makes: a lister's 100 files, and
 * their previews (none here). ms a listing, 400 listings each, 10 at a time, straight to RGW.
 */
async function rgwListingCost(bucket, rgwCpu) {
  const cost = async (prefix) => {
    const query = new URLSearchParams({ 'list-type': '2', 'max-keys': '1000', prefix })
    const list = async () => (await bucket.aws.fetch(`${bucket.url}/?${query}`)).arrayBuffer()
    const cpu0 = rgwCpu()
    for (let i = 0; i < 40; i++) await Promise.all(Array.from({ length: 10 }, list))
    return ((rgwCpu() - cpu0) * 1000) / 400
  }
  return { files: await cost('users/lister-0/'), previews: await cost('.previews/users/lister-0/') }
}

/** Both do the same job: the listing has every object, and a ticket really uploads to the bucket. */
async function checkSameJob(origin, { ticket, list }, name) {
  const files = (await (await fetch(...first(origin, list))).json()).files
  if (files?.length !== LISTED) throw new Error(`${name} listed ${files?.length} objects, not ${LISTED}`)
  // Tickets are for other users than the listings', so this upload leaves the listings as they were.
  const signed = await (await fetch(...first(origin, ticket))).json()
  const form = new FormData()
  for (const [k, v] of Object.entries(signed.upload.fields)) form.append(k, v)
  form.append('file', new Blob([new Uint8Array(123456)], { type: 'image/jpeg' }))
  const upload = await fetch(signed.upload.url, { method: 'POST', body: form })
  if (!upload.ok) throw new Error(`${name}'s ticket was refused by S3: ${upload.status} ${await upload.text()}`)
}

/**
 * Every user's first request creates their ledger (a Durable Object with its SQLite file): made once
 * for all of them before timing, so the timed runs measure a running service. Returns requests/s.
 */
async function touchEveryUser(origin, tokens) {
  const all = [...tokens.users, ...tokens.listers]
  const started = performance.now()
  const result = await autocannon({
    url: `${origin}/api/me`,
    connections: CONNECTIONS,
    amount: all.length,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { Authorization: `Bearer ${all.pop()}` } }) }],
  })
  if (result.non2xx + result.errors)
    throw new Error(`${origin}: ${result.non2xx + result.errors} first requests failed`)
  return (result.requests.total * 1000) / (performance.now() - started)
}

/** One autocannon run; CPU seconds of the server's process group, of RGW and of this process. */
async function load({ statuses = [200], ...options }, seconds, pgid, rgwCpu) {
  const cpu0 = groupCpuSeconds(pgid)
  const rgw0 = rgwCpu()
  const own0 = process.cpuUsage()
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: seconds })
  const answered = statuses.reduce((n, status) => n + (result.statusCodeStats?.[status]?.count ?? 0), 0)
  const own = process.cpuUsage(own0)
  return {
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // Anything but the expected status counts, as do connection errors and timeouts.
    errors: result.errors + result.timeouts + (result.requests.total - answered),
    serverCpu: (groupCpuSeconds(pgid) - cpu0) / seconds,
    rgwCpu: (rgwCpu() - rgw0) / seconds,
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
  const rgw = await startRgw(CREDENTIALS)
  const running = []
  try {
    const bucket = await fillBucket(rgw.endpoint)
    const settings = {
      S3_ENDPOINT: rgw.endpoint,
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    }
    const servers = {}
    for (const side of SIDES) {
      servers[side.name] = side.start
        ? await startSelfHosted({
            ...side.start,
            vars: { ...settings, AUTH_JWT_SECRET: JWT_SECRET, ...side.start.vars },
          })
        : await startReference(settings)
      running.push(servers[side.name])
    }
    const rgwCpu = rgwCpuCounter(rgw.endpoint)
    const tokens = {
      users: await Promise.all(Array.from({ length: USERS }, (_, i) => tokenFor(`user-${i}`))),
      listers: await Promise.all(Array.from({ length: LISTING_USERS }, (_, i) => tokenFor(`lister-${i}`))),
    }
    const rows = requests(tokens)
    /** autocannon's options for `row` on `side`, or undefined where that side has no such request. */
    const target = (row, side) =>
      row[side.paths] &&
      (!side.only || side.only.includes(row.title)) &&
      cannon(servers[side.name].url, row[side.paths])
    for (const side of SIDES) {
      const [ticket, list] = [rows[3][side.paths], rows[4][side.paths]]
      await checkSameJob(servers[side.name].url, { ticket, list }, side.title)
    }

    const firstTouch = await touchEveryUser(servers.bucketgate.url, tokens)

    const results = new Map() // `${row} ${side}` → one result per round
    for (let round = 0; round < rounds; round++) {
      for (const row of rows) {
        // Rotate who goes first, so none always meets another's leftovers.
        for (const side of SIDES.map((_, i) => SIDES[(i + round) % SIDES.length])) {
          if (!target(row, side)) continue
          const key = `${row.title} ${side.name}`
          await autocannon({
            ...target(row, side),
            connections: CONNECTIONS,
            ...(row.everyUser ? { amount: USERS } : { duration: WARM_UP_SECONDS }),
          })
          const result = await load(target(row, side), seconds, servers[side.name].pgid, rgwCpu)
          results.set(key, [...(results.get(key) ?? []), result])
        }
      }
    }
    // Every user's ledger closes after EVICTED_AFTER_MS without a request; each then gets one ticket.
    await new Promise((resolve) => setTimeout(resolve, EVICTED_AFTER_MS + 2000))
    const ticket = target(rows[3], SIDES[0])
    const cold = await autocannon({ ...ticket, connections: CONNECTIONS, amount: USERS })
    if (cold.non2xx + cold.errors) throw new Error(`${cold.non2xx + cold.errors} tickets to closed ledgers failed`)
    const listingCost = await rgwListingCost(bucket, rgwCpu)
    report({ say, rows, results, rounds, seconds })
    say(
      `Ledgers opened from disk, bucketgate (npm start): each of the ${USERS + LISTING_USERS} users' first request (GET /api/me, which creates their ledger), ${fmt(firstTouch, 0)}/s; after the rounds and ${EVICTED_AFTER_MS / 1000 + 2} s without requests, one ticket for each of the ${USERS} users, whose ledgers workerd had closed, ${fmt(cold.requests.total / cold.duration, 0)}/s (p99 ${fmt(cold.latency.p99)} ms).`,
    )
    say()
    say(
      `RGW's CPU for the two ListObjectsV2 of a bucketgate listing, straight to RGW: ${fmt(listingCost.files, 2)} ms for the 100 files, ${fmt(listingCost.previews, 2)} ms for their previews (an empty listing here); the reference makes only the first.`,
    )
    say()
    await Promise.all(running.splice(0).map((s) => s.stop()))
    const targets = rows.map((row) => ({ title: row.title, options: (origin) => cannon(origin, row.bucketgate) }))
    await profileUnderLoad({
      say,
      settings: { ...settings, AUTH_JWT_SECRET: JWT_SECRET },
      prepare: (origin) => touchEveryUser(origin, tokens),
      targets,
      seconds: 5,
    })
  } finally {
    await Promise.all(running.map((s) => s.stop()))
    await rgw.stop()
  }
}

function report({ say, rows, results, rounds, seconds }) {
  const median = (xs, f) => stats(xs.map(f)).median
  const of = (row, side) => results.get(`${row.title} ${side.name}`)
  const reference = SIDES.find((s) => s.name === 'reference')
  const ratio = (row, side) => {
    const [a, b] = [of(row, side), of(row, reference)]
    if (!a || !b) return '–'
    const s = stats(a.map((x, i) => x.rps / b[i].rps))
    return `**${fmt(s.median, 2)}×** (${fmt(s.min, 2)}–${fmt(s.max, 2)})`
  }
  const rate = (xs) =>
    xs
      ? fmt(
          median(xs, (x) => x.rps),
          0,
        )
      : '–'
  const latency = (xs) => (xs ? `${fmt(median(xs, (x) => x.p50))} / ${fmt(median(xs, (x) => x.p99))}` : '–')
  const errors = (xs) => (xs ? String(xs.reduce((n, x) => n + x.errors, 0)) : '–')
  // CPU per request hardly depends on what else runs on the machine; requests/s does.
  const cpuPerRequest = (xs) =>
    xs
      ? fmt(
          median(xs, (x) => (x.serverCpu / x.rps) * 1e6),
          0,
        )
      : '–'
  const busy = (xs, field) =>
    xs
      ? fmt(
          median(xs, (x) => x[field]),
          2,
        )
      : '–'

  say('### End to end against Flask + boto3')
  say()
  say(
    `autocannon, ${CONNECTIONS} connections, ${seconds} s a run, ${rounds} round(s) with the servers interleaved; medians over rounds. Sides: ${SIDES.map((s) => s.title).join('; ')}.`,
  )
  say()
  say(
    '| request | side | requests/s | p50 / p99 ms | ÷ reference | errors | server CPU µs a request | server CPU busy (cores) | RGW busy | load generator busy |',
  )
  say('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const row of rows) {
    for (const side of SIDES) {
      const xs = of(row, side)
      if (!xs) continue
      const r = side === reference ? '1' : ratio(row, side)
      say(
        `| ${row.title} | ${side.title} | ${rate(xs)} | ${latency(xs)} | ${r} | ${errors(xs)} | ${cpuPerRequest(xs)} | ${busy(xs, 'serverCpu')} | ${busy(xs, 'rgwCpu')} | ${busy(xs, 'loadCpu')} |`,
      )
    }
  }
  say()
  const [withLedger, without] = [SIDES[0], SIDES[1]]
  for (const row of rows) {
    const [a, b] = [of(row, withLedger), of(row, without)]
    if (!a || !b) continue
    const s = stats(a.map((x, i) => x.rps / b[i].rps))
    say(
      `- ${row.title}: with the ledger ÷ without, per round: **${fmt(s.median * 100, 0)} %** (${fmt(s.min * 100, 0)}–${fmt(s.max * 100, 0)} %)`,
    )
  }
  say()
  say(
    `load average after the runs: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  say()
}
