// Share passwords: salted PBKDF2-SHA256 with 100,000 iterations, compared in constant time.
import { describe, expect, it } from 'vitest'
import { hashPassword, passwordMatches, PBKDF2_ITERATIONS } from '../../../src/shares/share-password'
import { bytesFromBase64 } from '../../../src/util/base64'

describe('share passwords', () => {
  it('keeps a salted 100,000-iteration hash that only the right password matches', async () => {
    const stored = await hashPassword('correct horse')
    expect(stored.iterations).toBe(100_000)
    expect(bytesFromBase64(stored.salt)).toHaveLength(16)
    expect(bytesFromBase64(stored.hash)).toHaveLength(32)
    expect(JSON.stringify(stored)).not.toContain('horse')
    expect(await passwordMatches('correct horse', stored)).toBe(true)
    expect(await passwordMatches('correct horse ', stored)).toBe(false)
    expect(await passwordMatches('', stored)).toBe(false)
  })

  it('salts each hash, so one password never gives the same hash twice', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')])
    expect(a.salt).not.toBe(b.salt)
    expect(a.hash).not.toBe(b.hash)
  })
})
