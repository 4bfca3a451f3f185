// Unfinished uploads remembered per user and file (static/js/upload-memory.js), with an in-memory
// store standing in for localStorage (same getItem/setItem contract).
import { describe, expect, it } from 'vitest'
import { createUploadMemory } from '../../static/js/upload-memory.js'

function memoryStore() {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  }
}

const file = { name: 'big.bin', size: 30, lastModified: 1_700_000_000_000, type: 'application/octet-stream' }
const upload = (expiresAt: string) => ({
  key: '0ab/big.bin',
  uploadId: 'u1',
  token: 't',
  size: 30,
  partSize: 10,
  partCount: 3,
  expiresAt,
})
const NOW = Date.parse('2026-01-01T00:00:00Z')

describe('createUploadMemory', () => {
  it("recalls an upload for the same user's same file until it expires, then not", () => {
    const storage = memoryStore()
    const memory = createUploadMemory({ storage })
    memory.setOwner('alice')
    const print = memory.fingerprint(file)
    memory.remember(print, upload('2026-01-01T01:00:00Z'))
    expect(memory.recall(print, NOW)?.uploadId).toBe('u1')
    expect(memory.recall(print, Date.parse('2026-01-01T01:00:00Z'))).toBeNull()
    expect(memory.unfinished(NOW)).toEqual([{ name: 'big.bin', size: 30, expiresAt: '2026-01-01T01:00:00Z' }])
    // It survives a reload: a new memory over the same storage knows it.
    const reloaded = createUploadMemory({ storage })
    reloaded.setOwner('alice')
    expect(reloaded.recall(reloaded.fingerprint(file), NOW)?.uploadId).toBe('u1')
  })

  it("never offers one user's upload to another", () => {
    const storage = memoryStore()
    const memory = createUploadMemory({ storage })
    memory.setOwner('alice')
    memory.remember(memory.fingerprint(file), upload('2026-01-01T01:00:00Z'))
    memory.setOwner('bob')
    expect(memory.fingerprint(file)).not.toBe(memory.fingerprint({ ...file, name: 'other' }))
    expect(memory.recall(memory.fingerprint(file), NOW)).toBeNull()
    expect(memory.unfinished(NOW)).toEqual([])
  })

  it('forgets on request, and survives storage that is corrupt or refuses writes', () => {
    const storage = memoryStore()
    const memory = createUploadMemory({ storage })
    const print = memory.fingerprint(file)
    memory.remember(print, upload('2026-01-01T01:00:00Z'))
    memory.forget(print)
    expect(memory.recall(print, NOW)).toBeNull()
    expect(storage.items.get('bucketgate.multipart.v1')).toBe('{}')

    storage.items.set('bucketgate.multipart.v1', 'not json')
    expect(memory.unfinished(NOW)).toEqual([])
    const full = createUploadMemory({
      storage: {
        getItem: () => null,
        setItem: () => {
          throw new Error('QuotaExceededError')
        },
      },
    })
    expect(() => full.remember(print, upload('2026-01-01T01:00:00Z'))).not.toThrow()
  })
})
