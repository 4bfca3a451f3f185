// The public share page: every value escaped, no script, and a password form that shows nothing
// of the file before the password.
import { describe, expect, it } from 'vitest'
import { filePage, humanSize, messagePage, passwordPage } from '../../../src/shares/share-page'
import { shareState } from '../../../src/shares/share-record'

const text = async (page: ReturnType<typeof filePage>) => String(await page)

describe('share page', () => {
  it('escapes the file name and type wherever they appear', async () => {
    const html = await text(
      filePage('link', 'abc', { name: '"><script>alert(1)</script>', size: 10, type: 'text/html"x' }),
    )
    expect(html).not.toContain('<script>')
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('text/html&quot;x')
  })

  it('carries no script and no inline style at all', async () => {
    for (const html of [
      await text(filePage('link', 'abc', { name: 'a.txt', size: 1, type: '' })),
      await text(passwordPage('download', 'abc', 'Wrong')),
      await text(messagePage('link', 'Gone', 'Gone.')),
    ]) {
      expect(html).not.toMatch(/<script|\sstyle=|\son\w+=/i)
    }
  })

  it('asks for the password in a POST form and shows nothing of the file', async () => {
    const html = await text(passwordPage('link', 'abc'))
    expect(html).toContain('method="post" action="abc/download"')
    expect(html).toContain('type="password"')
    expect(html).not.toContain('<dl')
  })

  it('links relative to its own URL, so a mounted gateway keeps them below its mount', async () => {
    const links = async (page: ReturnType<typeof filePage>, pageUrl: string) =>
      [...(await text(page)).matchAll(/(?:href|action)="([^"]+)"/g)].map((m) => new URL(m[1]!, pageUrl).pathname)
    const atLink = await links(filePage('link', 'abc', { name: 'a.txt', size: 1, type: '' }), 'https://h/files/s/abc')
    const atDownload = await links(passwordPage('download', 'abc', 'Wrong'), 'https://h/files/s/abc/download')
    for (const paths of [atLink, atDownload]) {
      expect(paths).toEqual([
        '/files/favicon.svg',
        '/files/css/app.css',
        '/files/css/shares.css',
        '/files/s/abc/download',
      ])
    }
  })

  it('shows sizes as the gallery does', () => {
    expect([humanSize(0), humanSize(1023), humanSize(4096), humanSize(1536 * 1024), humanSize(15 * 1024 ** 2)]).toEqual(
      ['0 B', '1023 B', '4 KB', '1.5 MB', '15 MB'],
    )
  })
})

describe('share state', () => {
  const base = { expiresAt: 1000, maxDownloads: 2, downloads: 0, revokedAt: null }
  it('is revoked before expired before used up', () => {
    expect(shareState(base, 999)).toBe('active')
    expect(shareState(base, 1000)).toBe('expired')
    expect(shareState({ ...base, downloads: 2 }, 999)).toBe('used_up')
    expect(shareState({ ...base, downloads: 2 }, 1000)).toBe('expired')
    expect(shareState({ ...base, downloads: 2, revokedAt: 5 }, 1000)).toBe('revoked')
    expect(shareState({ ...base, maxDownloads: null, downloads: 1e6 }, 999)).toBe('active')
  })

  it('is file_deleted once the ledger saw the delete, after revoked and before expired or used up', () => {
    const deleted = { ...base, fileDeletedAt: 500 }
    expect(shareState({ ...base, fileDeletedAt: null }, 999)).toBe('active')
    expect(shareState(deleted, 999)).toBe('file_deleted')
    expect(shareState({ ...deleted, downloads: 2 }, 1000)).toBe('file_deleted')
    expect(shareState({ ...deleted, revokedAt: 5 }, 1000)).toBe('revoked')
  })
})
