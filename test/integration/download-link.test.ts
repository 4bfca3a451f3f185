// GET /api/files/<key> redirects to a presigned download; `?download` makes even an image an
// attachment, for the page's Download link. Signing needs no S3 round trip, so no RGW here.
import { describe, expect, it } from 'vitest'
import { api, filePath } from '../helpers'

async function dispositionOf(path: string): Promise<string> {
  const res = await api(path, { user: 'dora' })
  expect(res.status).toBe(302)
  const location = new URL(res.headers.get('Location')!)
  return location.searchParams.get('response-content-disposition') ?? ''
}

describe('download links', () => {
  it('shows an image inline by default and as an attachment with ?download', async () => {
    expect(await dispositionOf(filePath('01abc/cat photo.png'))).toBe('inline')
    expect(await dispositionOf(`${filePath('01abc/cat photo.png')}?download`)).toMatch(
      /^attachment; filename="cat photo.png"/,
    )
    expect(await dispositionOf(`${filePath('01abc/cat photo.png')}?download=1`)).toMatch(/^attachment;/)
  })

  it('keeps other files attachments either way', async () => {
    expect(await dispositionOf(filePath('01abc/page.html'))).toMatch(/^attachment;/)
    expect(await dispositionOf(`${filePath('01abc/page.html')}?download`)).toMatch(/^attachment;/)
  })
})
