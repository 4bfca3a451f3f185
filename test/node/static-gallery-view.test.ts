// The grid's view (static/js/gallery-view.js): sort and filter read from and written to the URL,
// the four orders, the name filter, and names cut in the middle with the extension kept.
import { describe, expect, it } from 'vitest'
import { compareFiles, matchesFilter, readView, splitName, writeView } from '../../static/js/gallery-view.js'

const file = (key: string, name: string, size: number, lastModified: string) => ({ key, name, size, lastModified })
const files = [
  file('b/zebra.png', 'zebra.png', 300, '2026-01-02T00:00:00Z'),
  file('a/apple 10.txt', 'apple 10.txt', 10, '2026-01-03T00:00:00Z'),
  file('c/apple 9.txt', 'apple 9.txt', 2_000, '2026-01-01T00:00:00Z'),
]
const order = (sort: Parameters<typeof compareFiles>[0]) => [...files].sort(compareFiles(sort)).map((f) => f.name)

describe('the view in the URL', () => {
  it('reads sort and filter, and falls back to newest and no filter for anything else', () => {
    expect(readView('?sort=name&q=cat')).toEqual({ sort: 'name', filter: 'cat' })
    expect(readView('')).toEqual({ sort: 'newest', filter: '' })
    expect(readView('?sort=__proto__')).toEqual({ sort: 'newest', filter: '' })
    expect(readView(`?q=${'x'.repeat(500)}`).filter).toHaveLength(200)
  })

  it('writes only what differs from the default and keeps other parameters', () => {
    expect(writeView('', { sort: 'newest', filter: '' })).toBe('')
    expect(writeView('?other=1', { sort: 'size', filter: 'a b' })).toBe('?other=1&sort=size&q=a+b')
    expect(writeView('?sort=size&q=x', { sort: 'newest', filter: '' })).toBe('')
    expect(readView(writeView('', { sort: 'oldest', filter: 'ünï & co' }))).toEqual({
      sort: 'oldest',
      filter: 'ünï & co',
    })
  })
})

describe('sorting', () => {
  it('orders by date, name (numbers as numbers), and size', () => {
    expect(order('newest')).toEqual(['apple 10.txt', 'zebra.png', 'apple 9.txt'])
    expect(order('oldest')).toEqual(['apple 9.txt', 'zebra.png', 'apple 10.txt'])
    expect(order('name')).toEqual(['apple 9.txt', 'apple 10.txt', 'zebra.png'])
    expect(order('size')).toEqual(['apple 9.txt', 'zebra.png', 'apple 10.txt'])
  })

  it('breaks ties by key, so equal files keep one order', () => {
    const twins = [file('b', 'same', 1, '2026-01-01T00:00:00Z'), file('a', 'same', 1, '2026-01-01T00:00:00Z')]
    for (const sort of ['newest', 'name', 'size'] as const) {
      expect([...twins].sort(compareFiles(sort)).map((f) => f.key)).toEqual(['a', 'b'])
    }
  })
})

describe('the name filter', () => {
  it('matches every word, ignoring case and accents', () => {
    expect(matchesFilter('Café Menu.PDF', 'cafe pdf')).toBe(true)
    expect(matchesFilter('Café Menu.PDF', 'menu  ')).toBe(true)
    expect(matchesFilter('Café Menu.PDF', 'cafe png')).toBe(false)
    expect(matchesFilter('anything', '')).toBe(true)
  })
})

describe('splitName', () => {
  it('keeps short names whole and cuts long ones before a tail holding the extension', () => {
    expect(splitName('cat.png')).toEqual(['cat.png', ''])
    const [head, tail] = splitName('IMG_20260101_123456789.jpeg')
    expect(head + tail).toBe('IMG_20260101_123456789.jpeg')
    expect(tail).toBe('6789.jpeg')
    expect(splitName('a rather long name without any extension')[1]).toHaveLength(6)
  })

  it('never cuts a character in two', () => {
    const name = '😀'.repeat(20) + '.txt'
    const [head, tail] = splitName(name)
    expect(head + tail).toBe(name)
    expect([...tail]).toHaveLength(8)
  })
})
