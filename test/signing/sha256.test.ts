// The presigner's own SHA-256 and prefixed HMAC agree with published vectors and with WebCrypto
// (workerd's BoringSSL) over seeded random inputs of every length around the block boundaries.
import { describe, expect, it } from 'vitest'
import { digestBytes, prefixedHmac, sha256, writeDigestHex } from '../../src/signing/sha256'
import { toHex } from '../../src/signing/sigv4'
import { prng } from '../prng'

const utf8 = (s: string) => new TextEncoder().encode(s)
const hexOf = (state: Int32Array) => toHex(digestBytes(state))

function randomBytes(random: ReturnType<typeof prng>, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => random.int(256))
}

async function webCryptoHmac(key: Uint8Array, message: Uint8Array): Promise<string> {
  // WebCrypto refuses an empty HMAC key; RFC 2104 pads it like any other, as does sha256.ts.
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return toHex(await crypto.subtle.sign('HMAC', imported, message))
}

describe('sha256', () => {
  it('reproduces the FIPS 180-4 examples', () => {
    expect(hexOf(sha256(utf8('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(hexOf(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(hexOf(sha256(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
  })

  it('matches WebCrypto for every length up to 300 bytes and random lengths to 20,000', async () => {
    const random = prng(0x5a256)
    const lengths = [
      ...Array.from({ length: 301 }, (_, i) => i),
      ...Array.from({ length: 40 }, () => random.int(20_000)),
    ]
    for (const length of lengths) {
      const bytes = randomBytes(random, length)
      const expected = toHex(await crypto.subtle.digest('SHA-256', bytes))
      expect(hexOf(sha256(bytes)), `length ${length}`).toBe(expected)
    }
  })

  it('writes the digest as lowercase hex bytes where asked', () => {
    const out = new Uint8Array(70).fill(0x2e)
    writeDigestHex(sha256(utf8('abc')), out, 3)
    expect(new TextDecoder().decode(out)).toBe('...ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad...')
  })
})

describe('prefixedHmac', () => {
  it('reproduces RFC 4231 test cases 2 and 6 (a key longer than a block)', () => {
    const jefe = prefixedHmac(utf8('Jefe'), utf8('what do ya '))
    expect(hexOf(jefe(utf8('want for nothing?')))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    )
    const longKey = prefixedHmac(new Uint8Array(131).fill(0xaa), utf8(''))
    expect(hexOf(longKey(utf8('Test Using Larger Than Block-Size Key - Hash Key First')))).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    )
  })

  it('matches WebCrypto for random keys, prefixes and rests, many messages per key', async () => {
    const random = prng(0x4231)
    for (let round = 0; round < 60; round++) {
      const key = randomBytes(random, 1 + random.int(140))
      const prefix = randomBytes(random, random.pick([0, 1, 55, 63, 64, 65, 69, 127, 128, 129, random.int(400)]))
      const mac = prefixedHmac(key, prefix)
      for (let i = 0; i < 8; i++) {
        // Rests of every size, the presigner's 64 included, growing past the first buffer.
        const rest = randomBytes(random, random.pick([0, 1, 55, 56, 64, 119, 120, 200, random.int(600)]))
        const message = new Uint8Array(prefix.length + rest.length)
        message.set(prefix)
        message.set(rest, prefix.length)
        expect(hexOf(mac(rest)), `round ${round}, message ${i}`).toBe(await webCryptoHmac(key, message))
      }
    }
  })
})
