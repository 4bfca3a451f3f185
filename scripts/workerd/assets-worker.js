// The ASSETS binding when self-hosted: workerd's disk service serves bytes but no Content-Type and no
// index page, so this Worker in front adds both (Cloudflare's asset server does this when deployed).

/** Types for the files static/ holds; anything else goes out as bytes. */
const TYPES = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  ico: 'image/x-icon',
  webp: 'image/webp',
  woff2: 'font/woff2',
}

const notFound = () =>
  new Response('Not Found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

export default {
  async fetch(request, env) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method Not Allowed', { status: 405, headers: { Allow: 'GET, HEAD' } })
    }
    // URL parsing has already resolved "." and ".." segments; the disk service refuses dotfiles.
    const url = new URL(request.url)
    const path = url.pathname.endsWith('/') ? url.pathname + 'index.html' : url.pathname
    const file = await env.FILES.fetch(new URL(path, 'http://files'), { method: request.method })
    // A directory answers with a JSON listing: never show one, as Cloudflare's asset server would not.
    if (!file.ok || file.headers.get('Content-Type') === 'application/json') return notFound()
    const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase()
    const headers = new Headers(file.headers)
    headers.set('Content-Type', TYPES[ext] ?? 'application/octet-stream')
    // Same as Cloudflare's default for assets: the browser may keep a copy but asks again each time.
    headers.set('Cache-Control', 'public, max-age=0, must-revalidate')
    return new Response(file.body, { status: 200, headers })
  },
}
