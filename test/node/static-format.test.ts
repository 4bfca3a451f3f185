// The page's words for sizes, speeds, names and kinds of files (static/js/format.js).
import { describe, expect, it } from 'vitest'
import {
  compactDate,
  displayName,
  extension,
  fileKind,
  humanDate,
  humanSize,
  humanSpeed,
  typeLabel,
} from '../../static/js/format.js'

describe('humanSize', () => {
  it('steps by 1024, one decimal below 10 units, none above or for bytes', () => {
    expect(humanSize(0)).toBe('0 B')
    expect(humanSize(1023)).toBe('1023 B')
    expect(humanSize(1024)).toBe('1 KB')
    expect(humanSize(1536)).toBe('1.5 KB')
    expect(humanSize(10 * 1024 * 1024)).toBe('10 MB')
    expect(humanSize(15.4 * 1024 * 1024)).toBe('15 MB')
    expect(humanSize(3 * 1024 ** 5)).toBe('3072 TB')
  })

  it('is empty for what is not a size', () => {
    expect(humanSize(-1)).toBe('')
    expect(humanSize(Number.NaN)).toBe('')
    expect(humanSize(Number.POSITIVE_INFINITY)).toBe('')
  })

  it('says speeds per second', () => {
    expect(humanSpeed(1.5 * 1024 * 1024)).toBe('1.5 MB/s')
  })
})

describe('names', () => {
  it('takes the extension after the last dot, lower case; none for a leading dot or no dot', () => {
    expect(extension('Report.Final.PDF')).toBe('pdf')
    expect(extension('.bashrc')).toBe('')
    expect(extension('README')).toBe('')
  })

  it('labels short extensions, and FILE for none or a long one', () => {
    expect(typeLabel('notes.txt')).toBe('TXT')
    expect(typeLabel('README')).toBe('FILE')
    expect(typeLabel('data.verylongext')).toBe('FILE')
  })

  it('sorts names into kinds for their icons', () => {
    expect(fileKind('a.jpeg')).toBe('image')
    expect(fileKind('a.pdf')).toBe('pdf')
    expect(fileKind('a.tar.gz')).toBe('archive')
    expect(fileKind('a.unknown')).toBe('file')
  })

  it("shows a key's last segment", () => {
    expect(displayName('0abc/holiday.png')).toBe('holiday.png')
    expect(displayName('plain.txt')).toBe('plain.txt')
  })
})

describe('humanDate', () => {
  it('formats an ISO date and is empty for one that does not parse', () => {
    expect(humanDate('2026-01-02T03:04:05Z')).toMatch(/2026/)
    expect(humanDate('not a date')).toBe('')
  })

  it('is shorter for a card: no year this year, no time in another', () => {
    const now = new Date('2026-06-01T12:00:00Z')
    expect(compactDate('2026-01-02T03:04:05Z', now)).not.toMatch(/2026/)
    expect(compactDate('2025-01-02T03:04:05Z', now)).toMatch(/2025/)
    expect(compactDate('not a date', now)).toBe('')
  })
})
