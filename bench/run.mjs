// npm run bench [-- --quick]: the numbers in the README's Benchmarks section, measured inside workerd
// (wrangler dev) on this machine. See the README for the method; in short, workerd's clock stands
// still during computation, so every time here is taken from outside, around whole requests, and
// the same request without the work under test is subtracted.
import { execFileSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { measureBundle, weights } from '../scripts/bundle-size.mjs'
import { startRgw } from '../scripts/lib/rgw.mjs'
import { coldStart } from './cold-start.mjs'
import { endToEnd } from './e2e.mjs'
import { benchBucket, fmt, JWT_SECRET, putImages, root, startWranglerDev, stats, timed, tokenFor } from './lib.mjs'
import { ledgerBench } from './ledger.mjs'

const QUICK = process.argv.includes('--quick')
// --only=signers,app,bundle,e2e,coldstart,ledger runs some parts (--only=list: the listings of app without its load
// test); --only=inspector (not in the default run) checks that wrangler dev's inspector does not
// change the signer numbers.
const ONLY = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',') ?? ['signers', 'app', 'bundle', 'e2e', 'coldstart', 'ledger']
const ROUNDS = QUICK ? 3 : 7
const LIST_ROUNDS = QUICK ? 5 : 25
// Listings before timing, so V8 has optimized the route (as in a warm isolate) before the rounds.
const LIST_WARMUPS = QUICK ? 2 : 5
const LOAD_SECONDS = QUICK ? 5 : 20
const BATCHES = [1, 100, 1000]
// URLs per timed request, so each takes 50–500 ms: long enough to swamp the HTTP round trip.
const TOTALS = {
  'webcrypto-floor': 20_000,
  bucketgate: 20_000,
  'bucketgate-webcrypto': 5_000,
  aws4fetch: 3_000,
  'aws-sdk': 1_000,
}
// --impls=webcrypto-floor,aws4fetch times only these (and bucketgate, always), e.g. to try a change.
const IMPLS_ARG = process.argv.find((a) => a.startsWith('--impls='))
const IMPLS = IMPLS_ARG ? [...new Set(['bucketgate', ...IMPLS_ARG.slice(8).split(',')])] : Object.keys(TOTALS)
for (const impl of IMPLS)
  if (!(impl in TOTALS)) throw new Error(`--impls: ${impl} is not one of ${Object.keys(TOTALS)}`)

const out = []
const say = (line = '') => {
  out.push(line)
  console.log(line)
}

function machine() {
  const bin = (name) => join(root, 'node_modules/.bin', name)
  const version = (name) => execFileSync(bin(name), ['--version'], { encoding: 'utf8' }).trim().split('\n').pop()
  return [
    `- machine: ${cpus().length} CPUs (nproc), ${cpus()[0].model}, load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `- node ${process.version}, ${version('workerd')}, wrangler ${version('wrangler')}`,
  ]
}

// Ratio columns (per batch): how many times bucketgate's time each of these takes.
const RATIO_TO = { 'bucketgate-webcrypto': 'WebCrypto hasher', aws4fetch: 'aws4fetch', 'aws-sdk': 'AWS SDK' }

/** (1) µs per presigned URL, each implementation at each batch size, rounds interleaved. */
async function signers() {
  const worker = await startWranglerDev({ config: 'bench/signer/wrangler.jsonc' })
  const request = async (impl, batch, total) => {
    const res = await fetch(`${worker.url}/sign?impl=${impl}&batch=${batch}&total=${total}`)
    if (!res.ok) throw new Error(`${impl}: ${res.status} ${await res.text()}`)
    return (await res.json()).signed
  }
  try {
    for (const impl of IMPLS) await request(impl, 100, 2000) // warm-up: JIT, derived keys, SDK client
    const perUrl = new Map() // `${impl} ${batch}` → µs per URL, one per round
    const add = (k, v) => perUrl.set(k, [...(perUrl.get(k) ?? []), v])
    for (let round = 0; round < ROUNDS; round++) {
      for (const batch of BATCHES) {
        // Rotate the order every round, so no implementation always runs first (or last).
        const order = IMPLS.map((_, i) => IMPLS[(i + round) % IMPLS.length])
        for (const impl of order) {
          const total = TOTALS[impl]
          const base = await timed(() => request('none', batch, total))
          const t = await timed(() => request(impl, batch, total))
          add(`${impl} ${batch}`, ((t - base) * 1000) / total)
        }
      }
    }
    say('### (1) µs per presigned URL (lower is better)')
    say()
    const ratioTitles = Object.values(RATIO_TO).map((name) => `${name} ÷ bucketgate`)
    say('| batch | ' + [...IMPLS, ...ratioTitles].join(' | ') + ' |')
    say('| ---: | ' + [...IMPLS, ...ratioTitles].map(() => '---:').join(' | ') + ' |')
    for (const batch of BATCHES) {
      const cells = IMPLS.map((impl) => {
        const s = stats(perUrl.get(`${impl} ${batch}`))
        return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`
      })
      // Ratios per round (measured side by side), then their median.
      const ratio = (other) =>
        stats(perUrl.get(`${other} ${batch}`).map((v, i) => v / perUrl.get(`bucketgate ${batch}`)[i]))
      const ratios = Object.keys(RATIO_TO).map((other) => {
        if (!IMPLS.includes(other)) return '–'
        const r = ratio(other)
        return `${fmt(r.median)}× (${fmt(r.min)}–${fmt(r.max)})`
      })
      say(`| ${batch} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`)
    }
    say()
  } finally {
    await worker.stop()
  }
}

/**
 * wrangler dev runs workerd with an inspector (and connects to it); deployed workerd has none. The
 * same signer Worker both ways, interleaved, at batch 1,000: does the inspector change the numbers?
 */
async function inspector() {
  const totals = { 'js-loop': 2_000, 'webcrypto-floor': 20_000, bucketgate: 20_000, aws4fetch: 3_000 }
  const impls = Object.keys(totals)
  const runtimes = { 'wrangler dev': true, 'no inspector': false }
  const workers = {}
  try {
    for (const [name, on] of Object.entries(runtimes))
      workers[name] = await startWranglerDev({ config: 'bench/signer/wrangler.jsonc', inspector: on })
    const request = async (name, impl, total) => {
      const res = await fetch(`${workers[name].url}/sign?impl=${impl}&batch=1000&total=${total}`)
      if (!res.ok) throw new Error(`${impl}: ${res.status} ${await res.text()}`)
      return (await res.json()).signed
    }
    const names = Object.keys(runtimes)
    for (const name of names) for (const impl of impls) await request(name, impl, 2000) // warm-up
    const perItem = new Map() // `${impl} ${runtime}` → µs per item, one per round
    const add = (k, v) => perItem.set(k, [...(perItem.get(k) ?? []), v])
    for (let round = 0; round < ROUNDS; round++) {
      for (const impl of impls.map((_, i) => impls[(i + round) % impls.length])) {
        for (const name of round % 2 ? [...names].reverse() : names) {
          const base = await timed(() => request(name, 'none', totals[impl]))
          const t = await timed(() => request(name, impl, totals[impl]))
          add(`${impl} ${name}`, ((t - base) * 1000) / totals[impl])
        }
      }
    }
    const cell = (s, unit = '') => `${fmt(s.median, 2)}${unit} (${fmt(s.min, 2)}–${fmt(s.max, 2)})`
    say('### wrangler dev vs workerd without an inspector (µs per item, batch 1,000)')
    say()
    say(`| impl | ${names.join(' | ')} | ${names[0]} ÷ ${names[1]} (per round) |`)
    say('| --- | ---: | ---: | ---: |')
    for (const impl of impls) {
      const [a, b] = names.map((name) => perItem.get(`${impl} ${name}`))
      say(`| ${impl} | ${cell(stats(a))} | ${cell(stats(b))} | ${cell(stats(a.map((v, i) => v / b[i])), '×')} |`)
    }
    say()
  } finally {
    await Promise.all(Object.values(workers).map((w) => w.stop()))
  }
}

const CREDENTIALS = { accessKeyId: 'bucketgate-bench', secretAccessKey: 'bucketgate-bench-secret-0123456789' }
const BUCKET = 'bucketgate-bench'
const COUNTS = [0, 100, 1000]

async function fillBucket(endpoint) {
  const bucket = await benchBucket(endpoint, BUCKET, CREDENTIALS)
  const puts = []
  for (const n of COUNTS) {
    for (let i = 0; i < n; i++) {
      const id = (1e15 + i).toString(36)
      puts.push(`users/bench-${n}/${id}/holiday photo ${i}.jpg`)
    }
  }
  await putImages(bucket, puts)
  return { aws: bucket.aws, someKey: puts[puts.length - 1] }
}

/** (2) Worker time of GET /api/files (S3 time subtracted) and (3) load on two routes. */
async function app() {
  const rgw = await startRgw(CREDENTIALS)
  let worker
  try {
    const { aws, someKey } = await fillBucket(rgw.endpoint)
    const startApp = (vars = {}) =>
      startWranglerDev({
        config: 'bench/app/wrangler.jsonc',
        vars: {
          S3_ENDPOINT: rgw.endpoint,
          S3_BUCKET: BUCKET,
          S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
          S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
          AUTH_JWT_SECRET: JWT_SECRET,
          ...vars,
        },
      })
    const tokens = Object.fromEntries(await Promise.all(COUNTS.map(async (n) => [n, await tokenFor(`bench-${n}`)])))
    const apiList = async (n) => {
      const res = await fetch(`${worker.url}/api/files?limit=1000`, {
        headers: { Authorization: `Bearer ${tokens[n]}` },
      })
      const body = await res.json()
      if (res.status !== 200) throw new Error(`list ${n}: ${res.status}`)
      return body.files.length
    }
    /** One GET /api/files inside the Worker: { total, s3 } in ms, and the number of files. */
    const timedList = async (n) => {
      const res = await fetch(`${worker.url}/__bench/timed/api/files?limit=1000`, {
        headers: { Authorization: `Bearer ${tokens[n]}` },
      })
      const body = await res.json()
      if (res.status !== 200) throw new Error(`timed list ${n}: ${res.status}`)
      const ms = (name) => Number(res.headers.get(name))
      return { total: ms('x-bench-total-ms'), s3: ms('x-bench-s3-ms'), files: body.files.length }
    }
    const s3List = async (n) => {
      const q = `list-type=2&prefix=${encodeURIComponent(`users/bench-${n}/`)}&max-keys=1000`
      const res = await aws.fetch(`${rgw.endpoint}/${BUCKET}/?${q}`)
      if (res.status !== 200) throw new Error(`s3 list ${n}: ${res.status}`)
      return (await res.text()).split('<Key>').length - 1
    }
    say('### (2) GET /api/files?limit=1000 inside the Worker, S3 time taken out (ms)')
    say()
    say(
      '| listing | objects (listed) | Worker time (total − S3) | S3 time (as the Worker waits) | total in the Worker | end to end from Node | ListObjectsV2 from Node |',
    )
    say('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
    const listings = [
      ['every URL signed (DOWNLOAD_URL_WINDOW_SECONDS=0)', { DOWNLOAD_URL_WINDOW_SECONDS: '0' }],
      ['again within a window (default 900 s)', {}],
    ]
    for (const [label, vars] of listings) {
      await worker?.stop()
      worker = await startApp(vars)
      for (let i = 0; i < LIST_WARMUPS; i++) for (const n of COUNTS) await apiList(n)

      const clock = await (await fetch(`${worker.url}/__bench/clock`)).json()
      if (!(clock.movedMs > 0)) throw new Error('the Worker clock does not move during computation here')
      const cell = (xs) => {
        const s = stats(xs)
        return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`
      }
      for (const n of COUNTS) {
        const rows = { worker: [], s3: [], total: [], e2e: [], direct: [] }
        const listed = await apiList(n)
        if (listed !== (await s3List(n))) throw new Error(`the API listed ${listed} objects, S3 another number`)
        for (let r = 0; r < LIST_ROUNDS; r++) {
          let timing
          rows.e2e.push(await timed(async () => (timing = await timedList(n))))
          rows.worker.push(timing.total - timing.s3)
          rows.s3.push(timing.s3)
          rows.total.push(timing.total)
          rows.direct.push(await timed(() => s3List(n)))
        }
        say(
          `| ${label} | ${n} (${listed}) | **${cell(rows.worker)}** | ${cell(rows.s3)} | ${cell(rows.total)} | ${cell(rows.e2e)} | ${cell(rows.direct)} |`,
        )
      }
    }
    say()
    if (!ONLY.includes('app')) return

    say(`### (3) Under load: autocannon, 50 connections, ${LOAD_SECONDS} s each`)
    say()
    say('| request | requests/s | p50 ms | p99 ms | errors | statuses |')
    say('| --- | ---: | ---: | ---: | ---: | --- |')
    const auth = { Authorization: `Bearer ${tokens[1000]}` }
    const relative = someKey.slice('users/bench-1000/'.length)
    const targets = [
      {
        title: 'POST /api/uploads',
        method: 'POST',
        url: `${worker.url}/api/uploads`,
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'holiday photo.jpg', type: 'image/jpeg', size: 123456 }),
      },
      {
        title: 'GET /api/files/<key>',
        method: 'GET',
        url: `${worker.url}/api/files/${relative.split('/').map(encodeURIComponent).join('/')}`,
        headers: auth,
      },
    ]
    for (const { title, ...target } of targets) {
      const result = await autocannon({ ...target, connections: 50, duration: LOAD_SECONDS })
      const statuses = Object.entries(result.statusCodeStats ?? {})
        .map(([code, { count }]) => `${code}×${count}`)
        .join(', ')
      const errors = result.errors + result.timeouts
      say(
        `| ${title} | ${fmt(result.requests.average, 0)} | ${result.latency.p50} | ${result.latency.p99} | ${errors} | ${statuses} |`,
      )
    }
    say()
  } finally {
    await worker?.stop()
    await rgw.stop()
  }
}

async function bundle() {
  const { bytes, gzipBytes, metafile } = await measureBundle({ metafile: true })
  const kib = (n) => (n / 1024).toFixed(1) + ' KiB'
  say('### (4) Deployable bundle (`wrangler deploy --dry-run --minify`)')
  say()
  say(`${kib(bytes)} minified, **${kib(gzipBytes)} gzip**. Largest parts (minified):`)
  say()
  say(
    weights(metafile)
      .slice(0, 8)
      .map(([name, size]) => `${name} ${kib(size)}`)
      .join(' · '),
  )
  say()
}

say(`## npm run bench${QUICK ? ' -- --quick' : ''} (${new Date().toISOString().slice(0, 16)}Z)`)
say()
for (const line of machine()) say(line)
say()
if (ONLY.includes('signers')) await signers()
if (ONLY.includes('inspector')) await inspector()
if (ONLY.includes('app') || ONLY.includes('list')) await app()
if (ONLY.includes('bundle')) await bundle()
if (ONLY.includes('e2e')) await endToEnd({ say, quick: QUICK })
if (ONLY.includes('coldstart')) await coldStart({ say, quick: QUICK })
if (ONLY.includes('ledger')) await ledgerBench({ say, quick: QUICK })
say(
  `load average at end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
