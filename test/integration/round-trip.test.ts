// The whole path against a real S3 server (Ceph RGW): ticket → browser POST → list → download → delete.
import { expect, it } from 'vitest'
import {
  api,
  config,
  describeS3,
  errorOf,
  filePath,
  postToBucket,
  randomBytes,
  s3Get,
  ticketFor,
  uniqueUser,
  upload,
} from '../helpers'

type FileEntry = { key: string; name: string; size: number; lastModified: string; etag: string; url: string }

async function list(user: string, query = ''): Promise<{ files: FileEntry[]; cursor: string | null }> {
  const res = await api(`/api/files${query}`, { user })
  expect(res.status).toBe(200)
  return res.json()
}

describeS3('round trip through RGW', () => {
  it('ticket → POST (201) → listed with its size → byte-identical download → delete → 404 and gone', async () => {
    const user = uniqueUser('alice')
    const bytes = randomBytes(70_001)
    const ticket = await ticketFor(user, { name: 'holiday photo.png', type: 'image/png', size: bytes.length })
    expect(ticket.upload.method).toBe('POST')
    expect(ticket.key).toMatch(/^[0-9a-z]{18}\/holiday photo\.png$/)
    expect(Date.parse(ticket.expiresAt) - Date.now()).toBeLessThanOrEqual(config.upload.ttlSeconds * 1000)

    const posted = await postToBucket(ticket.upload, bytes)
    expect(posted.status).toBe(201)

    const { files } = await list(user)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatchObject({ key: ticket.key, name: 'holiday photo.png', size: bytes.length })
    expect(files[0].etag).toMatch(/^[0-9a-f]{32}$/)
    // The root prefix never leaves the server, except inside the signed URL that must name the object.
    expect(JSON.stringify(files.map(({ url, ...rest }) => rest))).not.toContain('users/')

    const listed = await fetch(files[0].url)
    expect(listed.status).toBe(200)
    expect(new Uint8Array(await listed.arrayBuffer())).toEqual(bytes)

    const redirect = await api(filePath(ticket.key), { user })
    expect(redirect.status).toBe(302)
    expect(redirect.headers.get('Cache-Control')).toBe('no-store')
    const download = await fetch(redirect.headers.get('Location')!)
    expect(download.status).toBe(200)
    expect(download.headers.get('Content-Type')).toBe('image/png')
    expect(download.headers.get('Content-Disposition')).toBe('inline')
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes)

    const del = await api(filePath(ticket.key), { user, method: 'DELETE' })
    expect(del.status).toBe(204)
    expect((await s3Get(`users/${user}/${ticket.key}`)).status).toBe(404)
    expect((await list(user)).files).toEqual([])
    const again = await api(filePath(ticket.key), { user, method: 'DELETE' })
    expect(await errorOf(again)).toMatchObject({ status: 404, code: 'not_found' })
  })

  it('a non-image download is an attachment with an RFC 8187 filename', async () => {
    const user = uniqueUser('carol')
    const key = await upload(user, 'Notes «été» 100%.txt', 'text/plain', new TextEncoder().encode('hello'))
    const redirect = await api(filePath(key), { user })
    const res = await fetch(redirect.headers.get('Location')!)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Disposition')).toBe(
      `attachment; filename="Notes __t__ 100_.txt"; filename*=UTF-8''Notes%20_%C3%A9t%C3%A9_%20100%25.txt`,
    )
    expect(await res.text()).toBe('hello')
  })

  it('two uploads of the same name get different keys, newest first; pages follow the cursor', async () => {
    const user = uniqueUser('dave')
    const first = await upload(user, 'same.txt', 'text/plain', new TextEncoder().encode('1'))
    await new Promise((r) => setTimeout(r, 5))
    const second = await upload(user, 'same.txt', 'text/plain', new TextEncoder().encode('22'))
    const third = await upload(user, 'other.txt', 'text/plain', new TextEncoder().encode('333'))
    expect(new Set([first, second, third]).size).toBe(3)

    const page1 = await list(user, '?limit=2')
    expect(page1.files.map((f) => f.key)).toEqual([third, second])
    expect(page1.cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    const page2 = await list(user, `?limit=2&cursor=${page1.cursor}`)
    expect(page2.files.map((f) => f.key)).toEqual([first])
    expect(page2.cursor).toBeNull()
  })
})
