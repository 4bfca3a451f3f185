// Upload keys: newest first, unique, and names made safe without losing what people recognise.
import { describe, expect, it } from 'vitest'
import { displayName, objectId, sanitizeName } from '../../../src/uploads/object-names'

describe('objectId', () => {
  it('is 18 lowercase base32 characters that sort newer first', () => {
    const older = objectId(1_700_000_000_000, new Uint8Array(5))
    const newer = objectId(1_700_000_000_001, new Uint8Array(5))
    expect(older).toMatch(/^[0-9a-z]{18}$/)
    expect(newer < older).toBe(true)
  })

  it('differs for different random bytes in the same millisecond', () => {
    const a = objectId(1, new Uint8Array([0, 0, 0, 0, 1]))
    const b = objectId(1, new Uint8Array([0, 0, 0, 0, 2]))
    expect(a).not.toBe(b)
  })
})

describe('sanitizeName', () => {
  it.each([
    ['cat.png', 'cat.png'],
    ['Résumé final (2).pdf', 'Résumé final (2).pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\photo.jpg', 'photo.jpg'],
    ['<img src=x onerror=alert(1)>.png', '_img src=x onerror=alert(1)_.png'],
    ['.hidden', 'hidden'],
    ['..', 'file'],
    ['a"b;c.txt', 'a_b_c.txt'],
    ['猫 の 写真.jpg', '猫 の 写真.jpg'],
  ])('%s → %s', (input, output) => {
    expect(sanitizeName(input)).toBe(output)
  })

  it('caps names at 200 bytes and keeps the extension', () => {
    const name = sanitizeName('é'.repeat(300) + '.jpeg')
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(200)
    expect(name.endsWith('.jpeg')).toBe(true)
  })

  it('displayName is the last key segment', () => {
    expect(displayName('0abc/cat.png')).toBe('cat.png')
  })
})
