// Cursors wrap S3's continuation token opaquely; anything else is a 400.
import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor } from '../../../src/downloads/list-cursor'
import { ApiError } from '../../../src/errors'

describe('list cursor', () => {
  it.each(['1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=', 'users/alice/0abc/naïve ☃.txt', 'x'])(
    'round-trips %s',
    (token) => {
      const cursor = encodeCursor(token)
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(decodeCursor(cursor)).toBe(token)
    },
  )

  it.each(['', 'has space', 'a+b/c=', 'A', '_w', 'A'.repeat(2049)])('refuses %j with 400 invalid_cursor', (cursor) => {
    try {
      decodeCursor(cursor)
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError)
      expect((err as ApiError).code).toBe('invalid_cursor')
    }
  })
})
