// The same Worker as `wrangler dev`, started through wrangler's programmatic API with the inspector
// off (as deployed workerd runs: no --inspector-addr). wrangler-dev.mjs spawns this in its own
// process group with `inspector: false` and waits for it to answer, exactly as it does `wrangler dev`.
// Usage: node scripts/lib/start-worker.mjs <config> <port> [env file]
import { unstable_startWorker } from 'wrangler'

const [config, port, envFile] = process.argv.slice(2)
const worker = await unstable_startWorker({
  config,
  envFiles: envFile ? [envFile] : undefined,
  dev: { server: { hostname: '127.0.0.1', port: Number(port) }, inspector: false, watch: false, logLevel: 'error' },
})
await worker.ready
const stop = async () => {
  await worker.dispose()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
