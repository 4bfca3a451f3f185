// The static page is served through the Worker with the same security headers as the API.
import { expect, it } from 'vitest'
import { SELF } from 'cloudflare:test'

it('serves the gallery page with a strict CSP and secure headers', async () => {
  const res = await SELF.fetch('http://localhost/')
  expect(res.status).toBe(200)
  expect(res.headers.get('Content-Type')).toMatch(/text\/html/)
  const csp = res.headers.get('Content-Security-Policy') ?? ''
  expect(csp).toContain("script-src 'self'")
  expect(csp).toContain("object-src 'none'")
  expect(csp).toContain("frame-ancestors 'none'")
  expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
  expect(await res.text()).toContain('<script type="module"')
})
