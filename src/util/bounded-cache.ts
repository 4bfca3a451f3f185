// A Map that holds at most `maxEntries`, dropping the oldest entry to make room: the per-isolate
// caches (derived keys, token keys, encoded query names, remembered URLs, key sets) use it so none
// grows without bound in a long-lived isolate.
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>()

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer')
  }

  get size(): number {
    return this.#entries.size
  }

  get(key: K): V | undefined {
    return this.#entries.get(key)
  }

  set(key: K, value: V): V {
    // A Map iterates in insertion order, so its first key is the oldest.
    if (!this.#entries.has(key) && this.#entries.size >= this.maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value as K)
    }
    this.#entries.set(key, value)
    return value
  }

  delete(key: K): boolean {
    return this.#entries.delete(key)
  }

  /** The value at `key`, made and kept by `make` when there is none. */
  getOrSet(key: K, make: () => V): V {
    const value = this.#entries.get(key)
    return value !== undefined ? value : this.set(key, make())
  }
}
