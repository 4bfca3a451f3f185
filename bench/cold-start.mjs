// npm run bench's cold-start part: (a) from spawning `npm start` (and the `node scripts/start.mjs`
// it runs, as a systemd unit would) to the first answered request; (b) the bundle's script start-up
// time, from `wrangler check startup` (Cloudflare's own profile of the Worker's top-level evaluation
// in workerd), against Cloudflare's 1 s start-up limit.
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePorts } from '../scripts/lib/ports.mjs'
import { buildOnce } from '../scripts/lib/self-hosted.mjs'
import { fmt, root, stats } from './lib.mjs'

/** Cloudflare refuses a Worker whose global scope takes longer than this to evaluate, in ms. */
const STARTUP_LIMIT_MS = 1000
/** How often the first request is tried while the server starts, in ms. */
const POLL_MS = 5

const SETTINGS = {
  S3_ENDPOINT: 'http://127.0.0.1:9',
  S3_BUCKET: 'cold-start',
  S3_ACCESS_KEY_ID: 'cold-start',
  S3_SECRET_ACCESS_KEY: 'cold-start-secret',
  AUTH_JWT_SECRET: 'cold-start-only-hs256-secret-0123456789',
}

/** ms from spawn to the first 200 from the Worker (GET /api/auth runs the app, not just the socket). */
async function timeToFirstAnswer(command, args) {
  const [port] = await freePorts(1)
  const dataDir = await mkdtemp(join(tmpdir(), 'bucketgate-cold-'))
  const { PATH, HOME } = process.env
  const env = { PATH, HOME, ...SETTINGS, PORT: String(port), DATA_DIR: dataDir, ENV_FILE: '/dev/null' }
  const started = performance.now()
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: 'ignore' })
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited with ${child.exitCode}`)
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/auth`)
        if (res.status === 200) return performance.now() - started
      } catch {}
      if (performance.now() - started > 60_000) throw new Error(`${command} did not answer in 60 s`)
      await new Promise((r) => setTimeout(r, POLL_MS))
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r))
    process.kill(-child.pid, 'SIGTERM')
    await exited
    await rm(dataDir, { recursive: true, force: true })
  }
}

/** `wrangler check startup`'s profile: the sampled time that was not idle, and the whole window, in ms. */
async function scriptStartup() {
  const dir = await mkdtemp(join(tmpdir(), 'bucketgate-startup-'))
  try {
    const outfile = join(dir, 'startup.cpuprofile')
    await promisify(execFile)(join(root, 'node_modules/.bin/wrangler'), ['check', 'startup', '--outfile', outfile], {
      cwd: root,
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    })
    const profile = JSON.parse(await readFile(outfile, 'utf8'))
    const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id))
    // timeDeltas[i] is the time before samples[i]; it belongs to what ran up to that sample.
    const active = profile.samples.reduce((sum, id, i) => (idle.has(id) ? sum : sum + profile.timeDeltas[i]), 0)
    return { active: active / 1000, window: (profile.endTime - profile.startTime) / 1000 }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export async function coldStart({ say, quick }) {
  const runs = quick ? 3 : 7
  buildOnce()
  const npm = process.env.npm_execpath // set by `npm run`: npm's own CLI script
  const commands = {
    ...(npm ? { 'npm start': [process.execPath, [npm, 'start', '--silent']] } : {}),
    'node scripts/start.mjs': [process.execPath, ['scripts/start.mjs']],
  }
  const cell = (xs, digits = 0) => {
    const s = stats(xs)
    return `**${fmt(s.median, digits)}** (${fmt(s.min, digits)}–${fmt(s.max, digits)})`
  }
  say('### Cold start')
  say()
  say(`Median (min–max) of ${runs} runs, ms.`)
  say()
  say('| what | ms |')
  say('| --- | ---: |')
  for (const [title, [command, args]] of Object.entries(commands)) {
    const times = []
    for (let i = 0; i < runs; i++) times.push(await timeToFirstAnswer(command, args))
    say(`| \`${title}\`: process start → first answered request | ${cell(times)} |`)
  }
  const profiles = []
  for (let i = 0; i < runs; i++) profiles.push(await scriptStartup())
  say(
    `| script start-up (\`wrangler check startup\`: top-level evaluation, sampled CPU not idle) | ${cell(
      profiles.map((p) => p.active),
      1,
    )} |`,
  )
  say(
    `| the same profile's whole window | ${cell(
      profiles.map((p) => p.window),
      1,
    )} |`,
  )
  say(`| Cloudflare's start-up limit | ${STARTUP_LIMIT_MS} |`)
  say()
}
