// A CPU profile of GET /api/files?limit=1000 inside workerd: starts the bench app (worker.ts) under
// `wrangler dev`, warms it up, then records V8's sampling profiler over the inspector (CDP) while it
// sends timed listings, and prints where the time went (self time by function and by source file).
//
//   npm run bench:profile -- [--endpoint=http://127.0.0.1:PORT] [--window=0|900] [--objects=1000]
//                            [--rounds=40] [--interval=50] [--out=/tmp/files.cpuprofile]
//
// Without --endpoint it starts a throwaway RGW; with one it uses that RGW (the bench's credentials).
// Load the .cpuprofile in Chrome DevTools (Performance → Load profile) for the full picture.
import { writeFile } from 'node:fs/promises'
import { SignJWT } from 'jose'
import { startRgw } from '../../scripts/lib/rgw.mjs'
import { inspector } from '../cdp.mjs'
import { benchBucket, putImages, startWranglerDev, stats } from '../lib.mjs'

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
const WINDOW = arg('window', '0')
const OBJECTS = Number(arg('objects', '1000'))
const ROUNDS = Number(arg('rounds', '40'))
const INTERVAL_US = Number(arg('interval', '50'))
const OUT = arg('out', '')

const CREDENTIALS = { accessKeyId: 'bucketgate-bench', secretAccessKey: 'bucketgate-bench-secret-0123456789' }
const BUCKET = 'bucketgate-bench-profile'
const JWT_SECRET = 'bench-only-hs256-secret-0123456789abcdef'
const SUB = `profile-${OBJECTS}`

async function fillBucket(endpoint) {
  const bucket = await benchBucket(endpoint, BUCKET, CREDENTIALS)
  const have = (await bucket.list(`users/${SUB}/`)).length
  if (have >= Math.min(OBJECTS, 1000)) return
  const keys = Array.from(
    { length: OBJECTS },
    (_, i) => `users/${SUB}/${(1e15 + i).toString(36)}/holiday photo ${i}.jpg`,
  )
  await putImages(bucket, keys)
}

/** Self time per function and per file from a V8 CPU profile. */
function summarize(profile, requests) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map()
  const deltas = profile.timeDeltas
  // A sample's weight is the time to the next one, clipped to 1 ms: samples come every ~120 µs while
  // code runs, and a longer gap is the isolate waiting on I/O or the thread descheduled on a busy
  // machine, which would otherwise add tens of ms to whatever happened to be running.
  const clip = 1000
  for (let i = 0; i < profile.samples.length; i++) {
    const next = Math.min(deltas[i + 1] ?? 0, clip)
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + next)
  }
  // Total (inclusive) time: walk parents.
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const fnSelf = new Map()
  const fnTotal = new Map()
  const fileSelf = new Map()
  const label = (n) => {
    const f = n.callFrame
    const file = f.url ? f.url.replace(/^.*\/(src|node_modules|bench)\//, '$1/') : '(native)'
    return [`${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`, file]
  }
  for (const [id, us] of self) {
    const n = byId.get(id)
    const [name, file] = label(n)
    fnSelf.set(name, (fnSelf.get(name) ?? 0) + us)
    fileSelf.set(file, (fileSelf.get(file) ?? 0) + us)
    const seen = new Set()
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const [pname] = label(byId.get(p))
      if (seen.has(pname)) continue
      seen.add(pname)
      fnTotal.set(pname, (fnTotal.get(pname) ?? 0) + us)
    }
  }
  const per = (us) => (us / 1000 / requests).toFixed(2).padStart(7) + ' ms/req'
  const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k)
  console.log(`\nself time by file (per request, ${requests} requests):`)
  for (const [f, us] of top(fileSelf, 20)) console.log(per(us), f)
  console.log('\nself time by function:')
  for (const [f, us] of top(fnSelf, 40)) console.log(per(us), f)
  console.log('\ntotal (inclusive) time by function:')
  for (const [f, us] of top(fnTotal, 40)) console.log(per(us), f)
}

let rgw
const endpoint = arg('endpoint', '') || (rgw = await startRgw(CREDENTIALS)).endpoint
let app
try {
  await fillBucket(endpoint)
  app = await startWranglerDev({
    config: 'bench/app/wrangler.jsonc',
    vars: {
      S3_ENDPOINT: endpoint,
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AUTH_JWT_SECRET: JWT_SECRET,
      DOWNLOAD_URL_WINDOW_SECONDS: WINDOW,
    },
  })
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(SUB)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(JWT_SECRET))
  const list = async () => {
    const res = await fetch(`${app.url}/__bench/timed/api/files?limit=1000`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    const body = await res.json()
    if (res.status !== 200) throw new Error(`list: ${res.status} ${JSON.stringify(body)}`)
    const ms = (name) => Number(res.headers.get(name))
    return { worker: ms('x-bench-total-ms') - ms('x-bench-s3-ms'), files: body.files.length }
  }
  for (let i = 0; i < 10; i++) await list()
  const unprofiled = []
  for (let i = 0; i < ROUNDS; i++) unprofiled.push((await list()).worker)
  const cdp = await inspector(app.inspectorPort)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: INTERVAL_US })
  await cdp.send('Profiler.start')
  const profiled = []
  let files = 0
  for (let i = 0; i < ROUNDS; i++) {
    const r = await list()
    profiled.push(r.worker)
    files = r.files
  }
  const { profile } = await cdp.send('Profiler.stop')
  cdp.close()
  if (OUT) await writeFile(OUT, JSON.stringify(profile))
  const s = (xs) => {
    const t = stats(xs)
    return `${t.median} (${t.min}–${t.max})`
  }
  console.log(`window=${WINDOW} files=${files} rounds=${ROUNDS}`)
  console.log(`Worker time (total − S3), ms: unprofiled ${s(unprofiled)}, profiled ${s(profiled)}`)
  summarize(profile, ROUNDS)
} finally {
  await app?.stop()
  await rgw?.stop()
}
