// Where workerd's one thread spends a request under load: npm start's bucketgate with workerd's
// inspector on, V8's sampling profiler recording while autocannon runs, samples grouped into idle,
// native (workerd's HTTP, event loop, and V8 entry: V8 calls it "(program)"), garbage collection,
// and JavaScript by the package its bundled line came from.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { freePorts } from '../scripts/lib/ports.mjs'
import { startSelfHosted } from '../scripts/lib/self-hosted.mjs'
import { inspector } from './cdp.mjs'
import { fmt, root } from './lib.mjs'

/** µs; a longer gap between samples is the thread off the CPU (a busy machine), not work. */
const SAMPLE_CLIP_US = 1000
const SAMPLE_INTERVAL_US = 100

/** For each line of the bundle, the package (or src/) esbuild's `// path` comment put it under. */
function bundleOwners() {
  const owners = []
  let owner = '(bundle)'
  for (const line of readFileSync(join(root, 'dist/worker/index.js'), 'utf8').split('\n')) {
    const path = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(line)?.[1]
    if (path) owner = path.startsWith('src/') ? 'bucketgate (src/)' : /node_modules\/((@[^/]+\/)?[^/]+)/.exec(path)[1]
    owners.push(owner)
  }
  return owners
}

function groups(profile, owners) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const time = new Map()
  const builtIns = new Map() // function name → µs, to name the largest built-ins
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i])
    const name = node.callFrame.functionName
    const where = ['(idle)', '(program)', '(garbage collector)'].includes(name)
      ? { '(idle)': 'idle', '(program)': 'native (workerd, V8 entry)', '(garbage collector)': 'garbage collection' }[
          name
        ]
      : node.callFrame.url.endsWith('index.js')
        ? `JS: ${owners[node.callFrame.lineNumber] ?? '(bundle)'}`
        : 'built-ins'
    const us = Math.min(profile.timeDeltas[i + 1] ?? 0, SAMPLE_CLIP_US)
    time.set(where, (time.get(where) ?? 0) + us)
    if (where === 'built-ins') builtIns.set(name || '(anonymous)', (builtIns.get(name || '(anonymous)') ?? 0) + us)
  }
  const largest = [...builtIns].sort((a, b) => b[1] - a[1]).slice(0, 4)
  const label = `runtime built-ins (most: ${largest.map(([n]) => n).join(', ')})`
  return [...time].map(([where, us]) => [where === 'built-ins' ? label : where, us]).sort((a, b) => b[1] - a[1])
}

/**
 * Profiles each `targets` entry ({ title, options(origin) → autocannon's options }) for `seconds`
 * under load, after `prepare(origin)` has brought the server to the rounds' state.
 */
export async function profileUnderLoad({ say, settings, prepare, targets, seconds }) {
  const [port] = await freePorts(1)
  const server = await startSelfHosted({ vars: settings, args: [`--inspector-addr=127.0.0.1:${port}`] })
  try {
    await prepare(server.url)
    const owners = bundleOwners()
    const cdp = await inspector(port)
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLE_INTERVAL_US })
    say('### Where workerd spends a request under load (V8 sampling profile, npm start)')
    say()
    say('| request | where | share of the thread | µs a request |')
    say('| --- | --- | ---: | ---: |')
    for (const { title, options } of targets) {
      const { statuses, ...cannon } = options(server.url)
      const load = { ...cannon, connections: 50 }
      await autocannon({ ...load, duration: 2 }) // warm-up
      await cdp.send('Profiler.start')
      const result = await autocannon({ ...load, duration: seconds })
      const { profile } = await cdp.send('Profiler.stop')
      const rows = groups(profile, owners)
      const total = rows.reduce((sum, [, us]) => sum + us, 0)
      for (const [where, us] of rows.slice(0, 8)) {
        say(
          `| ${title} (${fmt(result.requests.total / seconds, 0)}/s) | ${where} | ${fmt((100 * us) / total)} % | ${fmt(us / result.requests.total)} |`,
        )
      }
    }
    say()
    cdp.close()
  } finally {
    await server.stop()
  }
}
