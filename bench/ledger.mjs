// npm run bench -- --only=ledger: what the per-user ledger costs a ticket. The same Worker runs twice
// in wrangler dev, with and without the LEDGER binding (bench/ledger/*.jsonc; no rate limits in
// either), and POST /api/uploads is measured on both, interleaved: latency of one ticket at a time,
// then requests/s with 50 connections (one user: every ticket through one Durable Object; and 50
// users), ratios taken per pair of runs. Tickets never reach S3, so no S3 server is needed.
import autocannon from 'autocannon'
import { fmt, JWT_SECRET, startWranglerDev, stats, timed, tokenFor } from './lib.mjs'

const VARS = {
  S3_ENDPOINT: 'http://127.0.0.1:9',
  S3_BUCKET: 'bucketgate-bench',
  S3_ACCESS_KEY_ID: 'bucketgate-bench',
  S3_SECRET_ACCESS_KEY: 'bucketgate-bench-secret-0123456789',
  AUTH_JWT_SECRET: JWT_SECRET,
}
const BODY = JSON.stringify({ name: 'holiday photo.jpg', type: 'image/jpeg', size: 123456 })

/** @param {{say: (line?: string) => void, quick: boolean}} opts */
export async function ledgerBench({ say, quick }) {
  const ROUNDS = quick ? 3 : 7
  const PER_ROUND = quick ? 50 : 200
  const LOAD_SECONDS = quick ? 5 : 10
  const LOAD_RUNS = quick ? 2 : 4
  const configs = { without: 'bench/ledger/without-ledger.jsonc', with: 'bench/ledger/with-ledger.jsonc' }
  const workers = {}
  try {
    for (const [name, config] of Object.entries(configs)) workers[name] = await startWranglerDev({ config, vars: VARS })
    const auth = async (sub) => ({ Authorization: `Bearer ${await tokenFor(sub)}`, 'Content-Type': 'application/json' })
    const ticket = async (name, headers) => {
      const res = await fetch(`${workers[name].url}/api/uploads`, { method: 'POST', headers, body: BODY })
      if (res.status !== 200) throw new Error(`${name}: ticket ${res.status} ${await res.text()}`)
      await res.arrayBuffer()
    }

    // (a) one ticket at a time: ms per ticket, median of each round's mean, rounds interleaved.
    const headers = await auth('bench-latency')
    for (const name of Object.keys(workers)) for (let i = 0; i < PER_ROUND; i++) await ticket(name, headers) // warm-up
    const perTicket = { without: [], with: [] }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? ['with', 'without'] : ['without', 'with']
      for (const name of order) {
        const ms = await timed(async () => {
          for (let i = 0; i < PER_ROUND; i++) await ticket(name, headers)
        })
        perTicket[name].push(ms / PER_ROUND)
      }
    }
    const cell = (xs, unit = '', digits = 2) => {
      const s = stats(xs)
      return `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`
    }
    const added = perTicket.with.map((v, i) => v - perTicket.without[i])
    say('### (5) The ledger: POST /api/uploads with and without it (wrangler dev)')
    say()
    say(
      `One ticket at a time, ${PER_ROUND} per round, ${ROUNDS} rounds interleaved: ms per ticket, end to end from Node.`,
    )
    say()
    say('| without ledger | with ledger | added by the ledger |')
    say('| ---: | ---: | ---: |')
    say(`| ${cell(perTicket.without)} | ${cell(perTicket.with)} | ${cell(added)} |`)
    say()

    // (b) 50 connections: requests/s, one user (one Durable Object) and 50 users.
    const oneUser = await auth('bench-load')
    const manyUsers = await Promise.all(Array.from({ length: 50 }, (_, i) => auth(`bench-load-${i}`)))
    const load = async (name, users) => {
      let next = 0
      const result = await autocannon({
        url: `${workers[name].url}/api/uploads`,
        method: 'POST',
        body: BODY,
        headers: oneUser,
        connections: 50,
        duration: LOAD_SECONDS,
        // Each connection its own user, for the 50-user run.
        setupClient: users > 1 ? (client) => client.setHeaders(manyUsers[next++ % manyUsers.length]) : undefined,
      })
      const non2xx = result.non2xx + result.errors + result.timeouts
      return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx }
    }
    say(
      `50 connections, ${LOAD_RUNS} runs of ${LOAD_SECONDS} s per Worker, alternating; the ratio is taken per pair of runs:`,
    )
    say()
    say('| users | without: tickets/s | with ledger: tickets/s | with ÷ without | p99 ms without / with | non-2xx |')
    say('| ---: | ---: | ---: | ---: | ---: | ---: |')
    for (const users of [1, 50]) {
      const runs = { without: [], with: [] }
      for (let run = 0; run < LOAD_RUNS; run++) {
        const order = run % 2 ? ['with', 'without'] : ['without', 'with']
        for (const name of order) runs[name].push(await load(name, users))
      }
      const rps = (name) => runs[name].map((r) => r.rps)
      const ratio = stats(rps('with').map((v, i) => (100 * v) / rps('without')[i]))
      const p99 = (name) => fmt(stats(runs[name].map((r) => r.p99)).median, 0)
      const failed = [...runs.without, ...runs.with].reduce((n, r) => n + r.non2xx, 0)
      say(
        `| ${users} | ${cell(rps('without'), '', 0)} | ${cell(rps('with'), '', 0)} | ${fmt(ratio.median, 0)} % (${fmt(ratio.min, 0)}–${fmt(ratio.max, 0)}) | ${p99('without')} / ${p99('with')} | ${failed} |`,
      )
    }
    say()
  } finally {
    await Promise.all(Object.values(workers).map((w) => w.stop()))
  }
}
