// `npm run build`: the deployable bundle in dist/, everything `npm start` serves with plain workerd:
// worker/ (wrangler's own build, exactly what `wrangler deploy` uploads), static/ (the page),
// assets-worker.js and rate-limit.js (stand-ins for Cloudflare's assets and rate limits), settings.mjs (the Worker's settings parser for Node) and manifest.json (the
// wrangler configuration that workerd needs: compatibility, vars, Durable Objects, assets).
import { execFileSync } from 'node:child_process'
import { cpSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { unstable_readConfig } from 'wrangler'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist')
// Built beside dist/ and swapped in at the end, so a server starting meanwhile never sees half of one.
const out = join(root, `dist.building-${process.pid}`)
process.on('exit', () => rmSync(out, { recursive: true, force: true })) // a failed build leaves nothing
const quiet = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' }

/** Module types by file extension, as wrangler's default rules bundle them. */
const MODULE_TYPES = {
  '.js': 'esModule',
  '.mjs': 'esModule',
  '.wasm': 'wasm',
  '.txt': 'text',
  '.html': 'text',
  '.bin': 'data',
}

/** The wrangler configuration, reduced to what workerd needs; bindings workerd lacks are listed. */
function manifestFrom(config, modules) {
  const sqlClasses = new Set(config.migrations.flatMap((m) => m.new_sqlite_classes ?? []))
  const absent = [
    ...(config.kv_namespaces ?? []).map((b) => `kv_namespaces ${b.binding}`),
    ...(config.r2_buckets ?? []).map((b) => `r2_buckets ${b.binding}`),
    ...(config.d1_databases ?? []).map((b) => `d1_databases ${b.binding}`),
    ...(config.queues?.producers ?? []).map((b) => `queues ${b.binding}`),
    ...(config.services ?? []).map((b) => `services ${b.binding}`),
  ]
  for (const d of config.durable_objects.bindings) {
    if (d.script_name) throw new Error(`Durable Object ${d.name} lives in another Worker; self-hosting serves one`)
  }
  return {
    name: config.name,
    modules,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    vars: config.vars,
    assets: { binding: config.assets.binding, directory: 'static' },
    // Counted in the workerd process instead (scripts/workerd/rate-limit.js).
    rateLimits: (config.ratelimits ?? []).map((r) => ({
      binding: r.name,
      limit: r.simple.limit,
      period: r.simple.period,
    })),
    durableObjects: config.durable_objects.bindings.map((d) => ({
      binding: d.name,
      className: d.class_name,
      sql: sqlClasses.has(d.class_name),
    })),
    absent,
  }
}

execFileSync(join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', join(out, 'worker')], {
  cwd: root,
  env: quiet,
  stdio: ['ignore', 'ignore', 'inherit'],
})
const config = unstable_readConfig({})
const files = readdirSync(join(out, 'worker'))
// index.js first: workerd takes the first module as the Worker's entry point.
const modules = files
  .filter((name) => MODULE_TYPES[name.slice(name.lastIndexOf('.'))])
  .sort((a, b) => (a === 'index.js' ? -1 : b === 'index.js' ? 1 : a.localeCompare(b)))
  .map((name) => ({ name, type: MODULE_TYPES[name.slice(name.lastIndexOf('.'))] }))
if (modules[0]?.name !== 'index.js') throw new Error(`wrangler wrote no index.js into dist/worker (${files})`)

cpSync(resolve(dirname(config.configPath), config.assets.directory), join(out, 'static'), { recursive: true })
for (const file of ['assets-worker.js', 'rate-limit.js']) cpSync(join(root, 'scripts/workerd', file), join(out, file))
await build({
  entryPoints: [join(root, 'scripts/workerd/settings.ts')],
  outfile: join(out, 'settings.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  logLevel: 'warning',
})
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifestFrom(config, modules), null, 2) + '\n')
rmSync(dist, { recursive: true, force: true })
renameSync(out, dist)
console.log(`dist/: ${modules.map((m) => m.name).join(', ')}; serve it with npm start`)
