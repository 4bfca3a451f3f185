// Previews against a real S3 server (Ceph RGW): the preview ticket is only for a stored file of the
// caller's and pins key, type and size (RGW refuses anything else); the list pairs each file with
// its preview across page boundaries and never lists a preview as a file; delete takes both.
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
  s3Put,
  testEnv,
  uniqueUser,
  upload,
  type Ticket,
} from '../helpers'

type FileEntry = { key: string; name: string; url: string; thumbnailUrl?: string }

const root = (user: string) => `users/${user}/`
const previewOf = (user: string, key: string) => `.previews/${root(user)}${key}`

function previewTicket(user: string, key: string, size: number) {
  return api('/api/uploads/preview', { method: 'POST', user, json: { key, size } })
}

async function storePreview(user: string, key: string, bytes: Uint8Array) {
  const res = await previewTicket(user, key, bytes.length)
  expect(res.status).toBe(200)
  const ticket: Ticket = await res.json()
  expect((await postToBucket(ticket.upload, bytes)).status).toBe(201)
}

async function listAll(user: string, limit: number): Promise<FileEntry[]> {
  const files: FileEntry[] = []
  let cursor: string | null = null
  do {
    const query: string = cursor ? `?limit=${limit}&cursor=${cursor}` : `?limit=${limit}`
    const res = await api(`/api/files${query}`, { user })
    expect(res.status).toBe(200)
    const page = (await res.json()) as { files: FileEntry[]; cursor: string | null }
    expect(page.files.length).toBeLessThanOrEqual(limit)
    files.push(...page.files)
    cursor = page.cursor
  } while (cursor)
  return files
}

describeS3('previews against RGW', () => {
  it('a preview ticket pins the key beside the file, image/webp and the exact size; RGW refuses the rest', async () => {
    const user = uniqueUser('pia')
    const key = await upload(user, 'cat.png', 'image/png', randomBytes(5_000))
    const preview = randomBytes(2_000)
    const res = await previewTicket(user, key, preview.length)
    expect(res.status).toBe(200)
    const ticket: Ticket = await res.json()
    expect(ticket.key).toBe(key)
    expect(ticket.upload.fields.key).toBe(previewOf(user, key))
    expect(ticket.upload.fields['Content-Type']).toBe('image/webp')

    const refused = [
      await postToBucket(ticket.upload, randomBytes(1_999)),
      await postToBucket(ticket.upload, randomBytes(2_001)),
      await postToBucket(ticket.upload, preview, { type: 'image/png', fields: { 'Content-Type': 'image/png' } }),
      await postToBucket(ticket.upload, preview, { fields: { key: `${root(user)}${key}` } }),
      await postToBucket(ticket.upload, preview, { fields: { key: previewOf(uniqueUser('other'), key) } }),
    ]
    expect(refused.map((r) => r.status)).toEqual([400, 400, 403, 403, 403])
    expect((await s3Get(previewOf(user, key))).status).toBe(404)
    // The file itself was never touched by any of them.
    expect((await s3Get(`${root(user)}${key}`)).bytes.length).toBe(5_000)

    expect((await postToBucket(ticket.upload, preview)).status).toBe(201)
    expect((await s3Get(previewOf(user, key))).bytes).toEqual(preview)
  })

  it('in PUT mode signs the preview key, image/webp and the size, and may replace the preview', async () => {
    const putEnv = { ...testEnv, UPLOAD_MODE: 'put' }
    const user = uniqueUser('ursa')
    const key = await upload(user, 'fox.png', 'image/png', randomBytes(900))
    const put = async (bytes: Uint8Array, headers: Record<string, string> = {}) => {
      const res = await api('/api/uploads/preview', { method: 'POST', user, json: { key, size: bytes.length } }, putEnv)
      expect(res.status).toBe(200)
      const { upload } = (await res.json()) as {
        upload: { method: string; url: string; headers: Record<string, string> }
      }
      expect(upload.method).toBe('PUT')
      expect(new URL(upload.url).pathname).toContain(`/.previews/${root(user)}`)
      expect(upload.headers['if-none-match']).toBeUndefined()
      const sent = new Headers({ ...upload.headers, ...headers })
      sent.delete('content-length')
      return fetch(upload.url, { method: 'PUT', headers: sent, body: bytes })
    }
    expect((await put(randomBytes(64), { 'content-type': 'image/png' })).status).toBe(403)
    const [first, second] = [randomBytes(64), randomBytes(80)]
    expect((await put(first)).status).toBe(200)
    expect((await put(second)).status).toBe(200) // a new preview replaces the old one
    expect((await s3Get(previewOf(user, key))).bytes).toEqual(second)
  })

  it('is only for a stored file of the caller, within THUMBNAIL_MAX_BYTES', async () => {
    const [alice, bob] = [uniqueUser('alice'), uniqueUser('bob')]
    const key = await upload(alice, 'dog.png', 'image/png', randomBytes(100))
    // Bob naming alice's key names his own (missing) file.
    expect(await errorOf(await previewTicket(bob, key, 100))).toMatchObject({ status: 404, code: 'not_found' })
    expect(await errorOf(await previewTicket(alice, `${key}.not-there`, 100))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    const max = config.upload.thumbnailMaxBytes
    expect(await errorOf(await previewTicket(alice, key, max + 1))).toMatchObject({ status: 413, code: 'too_large' })
    expect((await previewTicket(alice, key, max)).status).toBe(200)
    expect(await errorOf(await previewTicket(alice, key, 0))).toMatchObject({ status: 400, code: 'invalid_request' })
    expect(await errorOf(await previewTicket(alice, '../x/dog.png', 10))).toMatchObject({
      status: 400,
      code: 'invalid_key',
    })
  })

  it('pairs each file with its preview across page boundaries, never lists previews, and serves them as WebP', async () => {
    const user = uniqueUser('quinn')
    const keys: string[] = []
    for (let i = 0; i < 5; i++) keys.push(await upload(user, `f${i}.png`, 'image/png', randomBytes(10 + i)))
    const previews = new Map<string, Uint8Array>()
    for (const key of [keys[0], keys[2], keys[4]]) {
      previews.set(key, randomBytes(300))
      await storePreview(user, key, previews.get(key)!)
    }
    // Orphan previews (their files gone) between and around the files must not shift the pairing.
    for (const orphan of ['0', keys[1] + 'x', keys[3].slice(0, 10), 'zzz']) {
      await s3Put(previewOf(user, orphan), randomBytes(50), 'image/webp')
    }
    // A file whose own name looks like a preview is a file like any other.
    await s3Put(`${root(user)}0legacy/.previews`, randomBytes(7), 'text/plain')

    for (const limit of [1, 2, 3, 100]) {
      const files = await listAll(user, limit)
      expect(files.map((f) => f.key).sort()).toEqual([...keys, '0legacy/.previews'].sort())
      for (const file of files)
        expect(Boolean(file.thumbnailUrl), `${file.key} at limit ${limit}`).toBe(previews.has(file.key))
    }
    const [withPreview] = (await listAll(user, 100)).filter((f) => f.key === keys[2])
    const res = await fetch(withPreview.thumbnailUrl!)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('image/webp')
    expect(res.headers.get('Content-Disposition')).toBe('inline')
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(previews.get(keys[2]))
  })

  it('a bad cursor is refused, and one that is a key only moves within the caller’s own files', async () => {
    const user = uniqueUser('rae')
    await upload(user, 'a.txt', 'text/plain', randomBytes(3))
    const res = await api('/api/files?cursor=Li4v', { user }) // "../"
    expect(await errorOf(res)).toMatchObject({ status: 400, code: 'invalid_cursor' })
  })

  it('deleting a file deletes its preview', async () => {
    const user = uniqueUser('sam')
    const key = await upload(user, 'bird.png', 'image/png', randomBytes(40))
    await storePreview(user, key, randomBytes(30))
    expect((await s3Get(previewOf(user, key))).status).toBe(200)
    expect((await api(filePath(key), { user, method: 'DELETE' })).status).toBe(204)
    expect((await s3Get(`${root(user)}${key}`)).status).toBe(404)
    expect((await s3Get(previewOf(user, key))).status).toBe(404)
  })
})
