// The per-isolate caches' bound: never more than maxEntries, the oldest entry dropped first.
import { describe, expect, it } from 'vitest'
import { BoundedCache } from '../../../src/util/bounded-cache'

describe('BoundedCache', () => {
  it('keeps at most maxEntries, dropping the oldest to make room', () => {
    const cache = new BoundedCache<string, number>(3)
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) cache.set(key, i)
    expect(cache.size).toBe(3)
    expect(cache.get('a')).toBeUndefined()
    expect([cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([1, 2, 3])
  })

  it('replacing a held key drops nothing', () => {
    const cache = new BoundedCache<string, number>(2)
    cache.set('a', 1)
    cache.set('b', 2)
    cache.set('a', 3)
    expect([cache.get('a'), cache.get('b'), cache.size]).toEqual([3, 2, 2])
  })

  it('getOrSet makes a value once and keeps it', () => {
    const cache = new BoundedCache<string, object>(2)
    let made = 0
    const make = () => ({ n: ++made })
    const first = cache.getOrSet('k', make)
    expect(cache.getOrSet('k', make)).toBe(first)
    expect(made).toBe(1)
    expect(cache.delete('k')).toBe(true)
    expect(cache.getOrSet('k', make)).not.toBe(first)
  })

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError)
    expect(() => new BoundedCache(1.5)).toThrow(RangeError)
  })
})
