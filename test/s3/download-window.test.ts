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
})
