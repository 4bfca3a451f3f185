// User B can never list, download or delete user A's files, whatever the spelling of the key,
// and nothing B gets back mentions A's files.
import { beforeAll, expect, it } from 'vitest'
import { api, describeS3, filePath, objectText, s3Get, uniqueUser, upload } from '../helpers'
import { userRoot } from '../../src/keys'

describeS3('isolation between users', () => {
  const alice = uniqueUser('alice')
  const bob = uniqueUser('bob')
  let aliceKey = ''
  let aliceFull = ''
  const secret = new TextEncoder().encode('alice private bytes')

  beforeAll(async () => {
    aliceKey = await upload(alice, 'diary.txt', 'text/plain', secret)
    aliceFull = userRoot('users/', alice) + aliceKey
  })

  function mentionsAlice(text: string) {
    return text.includes(alice) || text.includes('diary') || text.includes(aliceKey.split('/')[0])
  }

  it('B lists only B', async () => {
    const res = await api('/api/files?limit=1000', { user: bob })
    const text = await res.text()
    expect(res.status).toBe(200)
    expect(JSON.parse(text).files).toEqual([])
    expect(mentionsAlice(text)).toBe(false)
  })

  const spellings = (): string[] => [
    `/api/files/../${alice}/${aliceKey}`,
    `/api/files/%2e%2e/${alice}/${aliceKey}`,
    `/api/files/..%2F${alice}%2F${encodeURIComponent(aliceKey)}`,
    `/api/files/%2E%2E%2F%2E%2E%2Fusers%2F${alice}%2F${encodeURIComponent(aliceKey)}`,
    `/api/files/..%5C${alice}%5C${encodeURIComponent(aliceKey)}`,
    `/api/files//users/${alice}/${aliceKey}`,
    `/api/files/%2Fusers%2F${alice}%2F${encodeURIComponent(aliceKey)}`,
    filePath(`users/${alice}/${aliceKey}`),
    filePath(`../../users/${alice}/${aliceKey}`),
    filePath(aliceFull),
    `/api/files/${aliceKey.split('/')[0]}%252F..%252F..%252F${alice}%252F${encodeURIComponent(aliceKey)}`,
  ]

  it('B cannot download A’s file by any spelling', async () => {
    for (const path of spellings()) {
      const res = await api(path, { user: bob, redirect: 'manual' })
      if (res.status === 302) {
        // Whatever B asked for was confined to B's root: S3 has nothing there.
        const location = res.headers.get('Location')!
        expect(decodeURIComponent(new URL(location).pathname)).toContain(`/users/${bob}/`)
        const s3 = await fetch(location)
        expect(s3.status).toBe(404)
        expect(new Uint8Array(await s3.arrayBuffer())).not.toEqual(secret)
      } else {
        expect(res.status, path).toBeGreaterThanOrEqual(400)
        expect(res.status, path).toBeLessThan(500)
        expect(mentionsAlice(await res.text())).toBe(false)
      }
    }
  })

  it('B cannot delete A’s file by any spelling, and A’s file survives', async () => {
    for (const path of spellings()) {
      const res = await api(path, { user: bob, method: 'DELETE' })
      expect([400, 404], path).toContain(res.status)
      expect(mentionsAlice(await res.text())).toBe(false)
    }
    const still = await s3Get(aliceFull)
    expect(still.status).toBe(200)
    expect(still.bytes).toEqual(secret)
  })

  it('A’s own key works for A (control)', async () => {
    const res = await api(filePath(aliceKey), { user: alice })
    expect(res.status).toBe(302)
    expect(await objectText(await fetch(res.headers.get('Location')!))).toBe('alice private bytes')
  })

  it('subjects that look like paths get their own roots', async () => {
    const sneaky = `${alice}/../${alice}`
    const res = await api('/api/files', { user: sneaky })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { files: unknown[] }).files).toEqual([])
    const prefixUser = alice.slice(0, -1)
    const res2 = await api('/api/files', { user: prefixUser })
    expect(((await res2.json()) as { files: unknown[] }).files).toEqual([])
  })
})
