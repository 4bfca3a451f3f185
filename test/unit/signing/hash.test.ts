// The presigner's two hashers agree: WebAssembly SIMD (four lanes) and WebCrypto give the same
// signatures over seeded random keys, string-to-sign starts and batches of canonical requests.
import { describe, expect, it } from 'vitest'
import { defaultHasher, wasmHasher, webCryptoHasher } from '../../../src/signing/hash'
import { SIMD_AVAILABLE } from '../../../src/signing/sha256'
import { prng } from '../../prng'

const ALPHABET = ['a', 'Z', '0', '/', '\n', '&', '=', '%', ' ', 'é', '€', '😀', '\ud800']

function randomText(random: ReturnType<typeof prng>, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += random.pick(ALPHABET)
  return out
}

describe('signature hashers', () => {
  it('workerd runs the WebAssembly SIMD hasher', () => {
    expect(SIMD_AVAILABLE).toBe(true)
    expect(defaultHasher).toBe(wasmHasher)
  })

  it('WebAssembly SIMD and WebCrypto sign random batches alike', async () => {
    const random = prng(11)
    for (let round = 0; round < 40; round++) {
      // Derived keys are 32 bytes; other lengths check the key padding too (WebCrypto refuses an empty key).
      const key = Uint8Array.from({ length: random.pick([1, 32, 64, 65, 200]) }, () => random.int(256))
      const prefix = randomText(random, random.int(150))
      const batch = Array.from({ length: random.int(10) }, () => randomText(random, random.int(700)))
      const fast = await wasmHasher.signer(key, prefix)(batch)
      const plain = await webCryptoHasher.signer(key, prefix)(batch)
      expect(fast, `round ${round}`).toEqual(plain)
      expect(fast.every((s) => /^[0-9a-f]{64}$/.test(s))).toBe(true)
    }
  })

  it('two signers with different keys, used in turns, keep their own keys', async () => {
    const a = new Uint8Array(32).fill(1)
    const b = new Uint8Array(32).fill(2)
    const [fastA, fastB] = [wasmHasher.signer(a, 'start\n'), wasmHasher.signer(b, 'start\n')]
    const requests = ['GET\n/x', 'PUT\n/y', 'GET\n/z', 'HEAD\n/w', 'GET\n/v']
    const [signedA, signedB] = await Promise.all([fastA(requests), fastB(requests)])
    expect(signedA).toEqual(await webCryptoHasher.signer(a, 'start\n')(requests))
    expect(signedB).toEqual(await webCryptoHasher.signer(b, 'start\n')(requests))
  })
})
