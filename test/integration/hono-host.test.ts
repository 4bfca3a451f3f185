// examples/hono-host in workerd: a host Worker with its own auth mounts bucketgate under /files
// (imported as `bucketgate`, through package.json's exports). The key policy, tickets, multipart
// and the Uppy routes behave exactly as in the standalone app; bucketgate's own tokens do not apply.
import { describe, expect, it, vi } from 'vitest'
import host from '../../examples/hono-host/src/index'
import { createGateway } from 'bucketgate'
import { describeS3, postToBucket, randomBytes, s3Get, s3Put, testEnv, tokenFor, uniqueUser } from '../helpers'
import { userRoot } from '../../src/keys'

const MiB = 1024 ** 2
const HOST_API_KEY = 'host-test-key-0123456789'
const env = { ...testEnv, HOST_API_KEY, UPLOAD_MAX_BYTES: String(64 * MiB) }

/** Calls the host as `user` (its own headers) from its own origin, JSON in and out. */
function call(path: string, init: RequestInit & { user?: string; key?: string; json?: unknown } = {}) {
  const headers = new Headers(init.headers)
  headers.set('Origin', 'http://localhost')
  if (init.user) {
    headers.set('X-Host-User', init.user)
    headers.set('X-Host-Key', init.key ?? HOST_API_KEY)
  }
  let body = init.body
  if (init.json !== undefined) {
    headers.set('Content-Type', 'application/json')
    body = JSON.stringify(init.json)
  }
  return host.request(`http://localhost${path}`, { ...init, headers, body }, env)
}

/** A signed-out visitor at an absolute URL the host handed out, from the host's own origin; redirects not followed. */
function visit(url: URL | string, init: RequestInit = {}) {
  const { pathname } = new URL(url)
  expect(pathname.startsWith('/files/')).toBe(true)
  return call(pathname, { redirect: 'manual', ...init })
}

/** Every href and form action in a page, resolved against the page's own URL as a browser does. */
function linksOf(html: string, pageUrl: string): { stylesheets: URL[]; downloads: URL[]; actions: URL[] } {
  const all = (re: RegExp) => [...html.matchAll(re)].map((m) => new URL(m[1]!, pageUrl))
  return {
    stylesheets: all(/<link[^>]*href="([^"]+)"/g),
    downloads: all(/<a[^>]*href="([^"]+)"/g),
    actions: all(/<form[^>]*action="([^"]+)"/g),
  }
}

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code
}

describe('a host Worker mounting bucketgate', () => {
  it("uses the host's identity: no or wrong host key is 401, bucketgate's own tokens are not accepted", async () => {
    expect((await call('/files/api/me')).status).toBe(401)
    expect((await call('/files/api/me', { user: 'alice', key: 'wrong' })).status).toBe(401)
    const bearer = await call('/files/api/me', { headers: { Authorization: `Bearer ${await tokenFor('alice')}` } })
    expect(bearer.status).toBe(401)
    expect((await call('/files/api/auth')).status).toBe(404)
    const me = await call('/files/api/me', { user: 'alice' })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ id: 'alice', limits: { maxBytes: 64 * MiB } })
  })

  it('serves the page below the mount, and its own routes beside it', async () => {
    const bare = await call('/files')
    expect(bare.status).toBe(308)
    expect(bare.headers.get('Location')).toBe('/files/')
    const page = await call('/files/')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('<!doctype html>')
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'")
    // The page's links are relative, so below the mount they reach its scripts and API.
    expect(html).toContain('src="js/main.js"')
    const script = await call('/files/js/api.js')
    expect(script.status).toBe(200)
    expect(await script.text()).toContain("request('api/me')")
    expect(await (await call('/')).text()).toContain('host app')
  })

  it('names a bad setting when created, as the env would', () => {
    expect(() => createGateway({ settings: { ...testEnv, S3_BUCKET: 'Not A Bucket' } })).toThrow(
      /S3_BUCKET must be a valid bucket name/,
    )
  })
})

describeS3('a host Worker mounting bucketgate, against RGW', () => {
  it("tickets land under the host user's root; another user can neither see nor delete them", async () => {
    const alice = uniqueUser('alice')
    const bytes = randomBytes(100)
    const res = await call('/files/api/uploads', {
      method: 'POST',
      user: alice,
      json: { name: 'a.txt', type: 'text/plain', size: 100 },
    })
    expect(res.status).toBe(200)
    const ticket = (await res.json()) as {
      key: string
      upload: { method: 'POST'; url: string; fields: Record<string, string> }
    }
    expect(ticket.upload.fields.key).toBe(userRoot('users/', alice) + ticket.key)
    expect((await postToBucket(ticket.upload, bytes)).status).toBe(201)

    const listed = (await (await call('/files/api/files', { user: alice })).json()) as { files: { key: string }[] }
    expect(listed.files.map((f) => f.key)).toEqual([ticket.key])
    const download = await call(`/files/api/files/${ticket.key}`, { user: alice })
    expect(download.status).toBe(302)
    expect(new URL(download.headers.get('Location')!).pathname).toContain(`/${userRoot('users/', alice)}${ticket.key}`)

    const bob = uniqueUser('bob')
    expect(((await (await call('/files/api/files', { user: bob })).json()) as { files: unknown[] }).files).toEqual([])
    const stolen = await call(`/files/api/files/${ticket.key}`, { method: 'DELETE', user: bob })
    expect(stolen.status).toBe(404)
    const escape = await call(`/files/api/files/..%2F${encodeURIComponent(alice)}%2F${ticket.key}`, { user: bob })
    expect(await errorCode(escape)).toBe('invalid_key')
    expect((await s3Get(userRoot('users/', alice) + ticket.key)).status).toBe(200)
  })

  it('multipart and the Uppy routes work below the mount, ending in exactly the declared bytes', async () => {
    const logged = vi.spyOn(console, 'log')
    const user = uniqueUser('carol')
    const bytes = randomBytes(6 * MiB + 7)
    const created = await call('/files/api/uppy/s3/multipart', {
      method: 'POST',
      user,
      json: { filename: 'clip.pdf', type: 'application/pdf', metadata: { size: bytes.length } },
    })
    const up = (await created.json()) as { key: string; uploadId: string }
    const base = `/files/api/uppy/s3/multipart/${up.uploadId}`
    const query = `?key=${encodeURIComponent(up.key)}`
    const etags: string[] = []
    for (const [n, part] of [bytes.subarray(0, 5 * MiB), bytes.subarray(5 * MiB)].entries()) {
      const { url } = (await (await call(`${base}/${n + 1}${query}`, { user })).json()) as { url: string }
      const put = await fetch(url, { method: 'PUT', body: part })
      expect(put.status).toBe(200)
      etags.push(put.headers.get('ETag')!)
    }
    const done = await call(`${base}/complete${query}`, {
      method: 'POST',
      user,
      json: { parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
    })
    expect(done.status).toBe(200)
    expect(await done.json()).toEqual({ key: up.key, location: `http://localhost/files/api/files/${up.key}` })
    expect((await s3Get(userRoot('users/', user) + up.key)).bytes).toEqual(bytes)
    // The host's onUploadCompleted saw it: the webhook's event, with the relative key.
    await vi.waitFor(() => expect(logged).toHaveBeenCalledWith('upload completed', expect.any(String)))
    const event = JSON.parse(logged.mock.calls.find((call) => call[0] === 'upload completed')![1] as string)
    expect(event).toMatchObject({
      type: 'upload.completed',
      data: { user, key: up.key, name: 'clip.pdf', size: bytes.length, contentType: 'application/pdf' },
    })
    expect(event.data.etag).toMatch(/^[0-9a-f]{32}-2$/)
    logged.mockRestore()

    const other = await call(`${base}${query}`, { user: uniqueUser('dave') })
    expect(other.status).toBe(404)
  })

  it('share links live below the mount: the link, its stylesheets, its download and its password form', async () => {
    const owner = uniqueUser('erin')
    const bytes = randomBytes(300)
    const key = 'files/notes.txt'
    await s3Put(userRoot('users/', owner) + key, bytes, 'text/plain')
    const share = async (body: object = {}) => {
      const res = await call('/files/api/shares', {
        method: 'POST',
        user: owner,
        json: { key, expiresIn: 3600, ...body },
      })
      expect(res.status).toBe(201)
      const { url } = (await res.json()) as { url: string }
      expect(url).toMatch(/^http:\/\/localhost\/files\/s\/[A-Za-z0-9_-]{22}$/)
      return url
    }
    const underMount = (url: URL) => expect(url.pathname).toMatch(/^\/files\//)

    const openUrl = await share()
    const page = await visit(openUrl)
    expect(page.status).toBe(200)
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'")
    const open = linksOf(await page.text(), openUrl)
    expect(open.stylesheets.length).toBeGreaterThan(0)
    for (const asset of open.stylesheets) {
      underMount(asset)
      expect((await visit(asset)).status).toBe(200)
    }
    expect(open.downloads).toHaveLength(1)
    underMount(open.downloads[0]!)
    const download = await visit(open.downloads[0]!)
    expect(download.status).toBe(302)
    expect(new Uint8Array(await (await fetch(download.headers.get('Location')!)).arrayBuffer())).toEqual(bytes)

    const lockedUrl = await share({ password: 'correct horse' })
    const post = (action: URL, password: string) =>
      visit(action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ password }).toString(),
      })
    const form = linksOf(await (await visit(lockedUrl)).text(), lockedUrl)
    expect(form.actions).toHaveLength(1)
    underMount(form.actions[0]!)
    // A wrong password answers the form again, from the download URL: its links still land below the mount.
    const wrong = await post(form.actions[0]!, 'wrong horse')
    expect(wrong.status).toBe(403)
    const again = linksOf(await wrong.text(), form.actions[0]!.href)
    expect(again.actions).toEqual(form.actions)
    for (const asset of again.stylesheets) {
      underMount(asset)
      expect((await visit(asset)).status).toBe(200)
    }
    const right = await post(again.actions[0]!, 'correct horse')
    expect(right.status).toBe(302)
    expect(new Uint8Array(await (await fetch(right.headers.get('Location')!)).arrayBuffer())).toEqual(bytes)
  })
})
