// The app, with timing for the benchmark: requests under /__bench/timed/ reach the app with the
// prefix removed and answer with `x-bench-total-ms` (the whole request inside the Worker) and
// `x-bench-s3-ms` (time spent waiting on S3: while any subrequest is between its send and its last
// body byte; the list's two ListObjectsV2 calls run at once and count once), so
// Worker time = total − S3. GET /__bench/clock shows whether the clock moves during computation
// (production workerd freezes it; wrangler dev's does not, which is what makes this possible).
import app from '../../src/index'
import type { Bindings } from '../../src/env'

const realFetch = globalThis.fetch
let s3Ms = 0
let inFlight = 0
let busySince = 0

// Subrequests (only S3 here) are timed to their last byte; the app then reads the buffered body.
globalThis.fetch = async function timedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  if (inFlight++ === 0) busySince = performance.now()
  try {
    const res = await realFetch(input, init)
    const body = await res.arrayBuffer()
    return new Response(body, res)
  } finally {
    if (--inFlight === 0) s3Ms += performance.now() - busySince
  }
}

export default {
  async fetch(request: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname === '/__bench/clock') {
      const start = performance.now()
      let x = 0
      for (let i = 0; i < 1e7; i++) x = (x * 31 + i) | 0
      return Response.json({ movedMs: performance.now() - start, x })
    }
    if (!url.pathname.startsWith('/__bench/timed/')) return app.fetch(request, env, ctx)
    url.pathname = url.pathname.slice('/__bench/timed'.length)
    s3Ms = 0 // the benchmark sends one timed request at a time
    const start = performance.now()
    const res = await app.fetch(new Request(url, request), env, ctx)
    const body = await res.arrayBuffer()
    const total = performance.now() - start
    const timed = new Response(body, res)
    timed.headers.set('x-bench-total-ms', total.toFixed(3))
    timed.headers.set('x-bench-s3-ms', s3Ms.toFixed(3))
    return timed
  },
}
