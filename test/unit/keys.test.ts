// The key policy: roots derived from subjects never collide or nest, and every client key is
// confined under the caller's root or refused.
import { describe, expect, it } from 'vitest'
import {
  encodeSubject,
  MAX_KEY_BYTES,
  PREVIEW_TREE,
  previewKey,
  previewRoot,
  relativeKey,
  resolveKey,
  userRoot,
} from '../../src/keys'
import { ApiError } from '../../src/errors'

const root = 'users/alice/'

function refusal(fn: () => unknown): { status: number; code: string } | undefined {
  try {
    fn()
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, code: err.code }
    throw err
  }
  return undefined
}

describe('userRoot', () => {
  it('keeps plain subjects readable', () => {
    expect(userRoot('users/', 'alice')).toBe('users/alice/')
    expect(userRoot('users/', 'c1a2-b3_Z')).toBe('users/c1a2-b3_Z/')
  })

  it('encodes separators, dots and the escape character so no subject can nest or escape', () => {
    expect(encodeSubject('a/b')).toBe('a~2Fb')
    expect(encodeSubject('..')).toBe('~2E~2E')
    expect(encodeSubject('auth0|123')).toBe('auth0~7C123')
    expect(encodeSubject('~2F')).toBe('~7E2F')
    expect(encodeSubject('é')).toBe('~C3~A9')
    expect(userRoot('users/', 'alice/')).not.toBe(userRoot('users/', 'alice'))
  })

  it('is injective and prefix-free over tricky subjects', () => {
    const subjects = ['a', 'a/', 'a~2F', 'a/b', 'a~', 'a.', 'A', 'a b', 'a%2Fb', '..', '.', '~', 'é', 'é', 'a\\b']
    const roots = subjects.map((s) => userRoot('users/', s))
    expect(new Set(roots).size).toBe(new Set(subjects).size)
    for (const r1 of roots) for (const r2 of roots) if (r1 !== r2) expect(r2.startsWith(r1)).toBe(false)
    for (const r of roots) expect(r.slice('users/'.length, -1)).not.toMatch(/[/.]/)
  })

  it('refuses empty and over-long subjects with 401', () => {
    expect(refusal(() => userRoot('users/', ''))).toEqual({ status: 401, code: 'unauthenticated' })
    expect(refusal(() => userRoot('users/', 'x'.repeat(129)))).toEqual({ status: 401, code: 'unauthenticated' })
  })
})

describe('resolveKey', () => {
  it('joins a valid relative key under the root, normalised to NFC', () => {
    expect(resolveKey(root, 'photos/cat.png')).toBe('users/alice/photos/cat.png')
    expect(resolveKey(root, 'cafe\u0301.txt')).toBe('users/alice/caf\u00e9.txt')
    expect(resolveKey(root, 'a b+c%20~.txt')).toBe('users/alice/a b+c%20~.txt')
  })

  it.each([
    ['empty', ''],
    ['parent segment', '../bob/cat.png'],
    ['nested parent segment', 'a/../../bob/x'],
    ['dot segment', './cat.png'],
    ['trailing parent', 'a/..'],
    ['leading slash', '/users/bob/cat.png'],
    ['empty segment', 'a//b'],
    ['trailing slash', 'a/'],
    ['backslash', '..\\bob\\cat.png'],
    ['NUL', 'a\u0000b'],
    ['newline', 'a\nb'],
    ['DEL', 'a\u007fb'],
    ['C1 control', 'a\u0085b'],
    ['lone surrogate', 'a\ud800b'],
    ['too long', 'x'.repeat(MAX_KEY_BYTES)],
  ])('refuses %s with 400 invalid_key', (_, key) => {
    expect(refusal(() => resolveKey(root, key))).toEqual({ status: 400, code: 'invalid_key' })
  })

  it('counts the 1024-byte limit in UTF-8 bytes with the root included', () => {
    const room = MAX_KEY_BYTES - root.length
    expect(resolveKey(root, 'x'.repeat(room))).toHaveLength(MAX_KEY_BYTES)
    expect(refusal(() => resolveKey(root, 'x'.repeat(room - 1) + 'é'))).toEqual({ status: 400, code: 'invalid_key' })
  })

  it('relativeKey strips the root and refuses keys outside it', () => {
    expect(relativeKey(root, 'users/alice/a/b.txt')).toBe('a/b.txt')
    expect(() => relativeKey(root, 'users/alicex/b.txt')).toThrow()
  })
})

describe('the preview tree', () => {
  it('sits beside every user root, whatever the prefix or subject', () => {
    const subjects = ['.previews', '.', '..', 'a.b', '~2E', '.previews/x', 'Ünïcode', 'x'.repeat(128)]
    for (const prefix of ['', 'users/', 'a/b/']) {
      for (const subject of subjects) {
        const root = userRoot(prefix, subject)
        expect(root.startsWith(PREVIEW_TREE), `${prefix}${subject}`).toBe(false)
        expect(previewRoot(root).startsWith(PREVIEW_TREE)).toBe(true)
      }
    }
  })

  it('holds the preview of a key at the same key under the tree, and refuses one too long to have one', () => {
    const key = resolveKey(root, '0abc/photo.jpg')
    expect(previewKey(key)).toBe('.previews/users/alice/0abc/photo.jpg')
    expect(previewKey(key).startsWith(previewRoot(root))).toBe(true)
    const longest = resolveKey(root, 'x'.repeat(MAX_KEY_BYTES - root.length))
    expect(refusal(() => previewKey(longest))).toEqual({ status: 400, code: 'invalid_key' })
  })
})
