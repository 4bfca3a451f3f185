// GET /api/files hands out the same URL for a key throughout a window and a new one in the next;
// RGW accepts both and answers with the signed-in Cache-Control, so browsers may keep the bytes.
// GET /api/files/<key> (a redirect the page may fetch with CORS) stays signed at the second.
import { expect, it } from 'vitest'
import { api, describeS3, filePath, randomBytes, testEnv, uniqueUser, upload } from '../helpers'

const WINDOW_S = 3
const env = { ...testEnv, DOWNLOAD_URL_WINDOW_SECONDS: String(WINDOW_S), DOWNLOAD_TTL_SECONDS: '60' }

async function listedUrl(user: string): Promise<string> {
  const res = await api('/api/files', { user }, env)
  expect(res.status).toBe(200)
  const { files } = (await res.json()) as { files: { url: string }[] }
  expect(files).toHaveLength(1)
  return files[0].url
}

/** A long window, so a test's few listings share it (unless started in its last 10 s: then wait). */
const LONG_WINDOW_S = 3600
const longEnv = { ...env, DOWNLOAD_URL_WINDOW_SECONDS: String(LONG_WINDOW_S) }

async function listedFiles(user: string): Promise<{ key: string; name: string; url: string }[]> {
  const res = await api('/api/files', { user }, longEnv)
  expect(res.status).toBe(200)
  return ((await res.json()) as { files: { key: string; name: string; url: string }[] }).files
}

/** Sleeps until just after the next window boundary, so the next few calls share a window. */
async function nextWindow(): Promise<number> {
  const start = (Math.floor(Date.now() / 1000 / WINDOW_S) + 1) * WINDOW_S
  await new Promise((r) => setTimeout(r, start * 1000 - Date.now() + 50))
  return start
}

describeS3('cache-friendly download URLs', () => {
  it('the same URL twice within a window, another in the next; both valid window + TTL, cacheable', async () => {
    const user = uniqueUser('window')
    const key = await upload(user, 'cat.png', 'image/png', randomBytes(1000))

    const start = await nextWindow()
    const first = await listedUrl(user)
    const again = await listedUrl(user)
    const redirect = await api(filePath(key), { user }, env)
    expect(again).toBe(first)
    // The redirect is signed at this second, never the list's URL (see downloadSigner in files.ts).
    const fresh = new URL(redirect.headers.get('Location')!).searchParams
    expect(
      Math.abs(
        Date.parse(fresh.get('X-Amz-Date')!.replace(/(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/, '$1-$2-$3T$4:$5:$6Z')) -
          Date.now(),
      ),
    ).toBeLessThan(5000)
    expect(fresh.get('X-Amz-Expires')).toBe('60')
    expect(fresh.has('response-cache-control')).toBe(false)
    const params = new URL(first).searchParams
    expect(params.get('X-Amz-Date')).toBe(new Date(start * 1000).toISOString().replace(/[:-]|\.\d{3}/g, ''))
    expect(params.get('X-Amz-Expires')).toBe(String(WINDOW_S + 60))

    await nextWindow()
    const next = await listedUrl(user)
    expect(next).not.toBe(first)

    for (const url of [first, next]) {
      const res = await fetch(url)
      expect(res.status).toBe(200)
      expect(res.headers.get('Cache-Control')).toBe('private, max-age=60, immutable')
      expect(res.headers.get('Content-Type')).toBe('image/png')
      await res.arrayBuffer()
    }
  })

  it('a listing of remembered and new files gives each file its own URL, all valid', async () => {
    const user = uniqueUser('window-mixed')
    const bytes = [randomBytes(100), randomBytes(200), randomBytes(300)]
    const left = LONG_WINDOW_S * 1000 - (Date.now() % (LONG_WINDOW_S * 1000))
    if (left < 10_000) await new Promise((r) => setTimeout(r, left + 50))
    await upload(user, 'a.png', 'image/png', bytes[0])
    const first = await listedFiles(user)
    await upload(user, 'b.txt', 'text/plain', bytes[1])
    await upload(user, 'c.png', 'image/png', bytes[2])
    const mixed = await listedFiles(user)
    expect(mixed).toHaveLength(3)
    // The remembered URL is handed out again; the two new ones are signed for their own keys.
    expect(mixed.find((f) => f.key === first[0].key)?.url).toBe(first[0].url)
    for (const file of mixed) {
      const url = new URL(file.url)
      expect(decodeURIComponent(url.pathname)).toMatch(new RegExp(`/${file.key.replace(/[.]/g, '\\.')}$`))
      const res = await fetch(url)
      expect(res.status).toBe(200)
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes[['a.png', 'b.txt', 'c.png'].indexOf(file.name)])
    }
  })
})
