// SHA-256 for four messages side by side, and the HMAC step of SigV4's string to sign (AssemblyScript,
// built to sha256x4.wasm by `npm run build:wasm`; test/node/wasm-build.test.ts checks the committed
// binary is this source's). Each 32-bit word of the algorithm is a v128 holding that word for lanes
// 0–3, so one pass of the 64 rounds advances four hashes: in workerd ~3.5× the throughput of the
// same rounds in plain JS (~0.1 µs a block per lane). Padding and the HMAC's byte shuffling live
// here too, so a group of four URLs costs three calls from JS. Where the lanes sit in memory, and
// growing it, is the caller's (../sha256.ts). FIPS 180-4 §5.1.1, §6.2.2; RFC 2104.

// The round constants.
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
])
// The message schedule: 64 words × 4 lanes.
const W: usize = memory.data(64 * 16, 16)
// The four hash states, interleaved: word j of lane k at STATES + 16 j + 4 k.
const STATES: usize = memory.data(8 * 16, 16)
// Each lane's digest as 64 lowercase hex ASCII bytes, written by hash() and mac().
const HEX: usize = memory.data(64 * 4, 16)
const HEX_DIGITS: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102])
const INITIAL: usize = memory.data<u32>([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
])
// mac()'s inputs, set by the caller: the states after the key's inner pad (and the prefix's whole
// blocks) and after its outer pad, eight words each; and the prefix's leftover bytes (under 64).
const MAC_INNER: usize = memory.data(32, 16)
const MAC_OUTER: usize = memory.data(32, 16)
const MAC_LEFTOVER: usize = memory.data(64, 16)

export function statesOffset(): usize {
  return STATES
}

export function hexOffset(): usize {
  return HEX
}

export function initialOffset(): usize {
  return INITIAL
}

export function macInnerOffset(): usize {
  return MAC_INNER
}

export function macOuterOffset(): usize {
  return MAC_OUTER
}

export function macLeftoverOffset(): usize {
  return MAC_LEFTOVER
}

/** Where the caller may put lane data: everything from here on is free. */
export function freeOffset(): usize {
  return (__heap_base + 63) & ~63
}

function rotr(x: v128, n: i32): v128 {
  return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n))
}

/** Four big-endian words → native order. */
function byteSwap(x: v128): v128 {
  return i8x16.shuffle(x, x, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12)
}

/** Every lane's state set to the eight words at `state`. */
function startLanes(state: usize): void {
  for (let j: usize = 0; j < 8; j++) v128.store(STATES + (j << 4), i32x4.splat(load<i32>(state + (j << 2))))
}

/**
 * Pads the message of `length` bytes at `lane`, `prior` bytes having gone into its state before it
 * (whole blocks): 0x80, zeros, then the total length in bits, big-endian. Returns its block count.
 */
function pad(lane: usize, length: i32, prior: i32): i32 {
  const blocks = (length + 9 + 63) >> 6
  const end = lane + ((<usize>blocks) << 6)
  const start = lane + <usize>length
  store<u8>(start, 0x80)
  memory.fill(start + 1, 0, end - 8 - (start + 1))
  store<u64>(end - 8, bswap<u64>((<u64>(prior + length)) << 3))
  return blocks
}

/** Each lane's state as hex into HEX. */
function writeHex(): void {
  for (let k: usize = 0; k < 4; k++) {
    for (let j: usize = 0; j < 8; j++) {
      const word = load<u32>(STATES + (j << 4) + (k << 2))
      const out = HEX + (k << 6) + (j << 3)
      for (let i: usize = 0; i < 8; i++) store<u8>(out + i, load<u8>(HEX_DIGITS + ((word >>> (28 - 4 * <u32>i)) & 15)))
    }
  }
}

/**
 * SHA-256 of each lane's message, `length_k` bytes at `data + k * stride` (a negative length leaves
 * the lane out): the digests are left in STATES and, as hex, in HEX. The caller leaves room for
 * the padding (up to 72 bytes) after each message.
 */
export function hash(data: usize, stride: usize, length0: i32, length1: i32, length2: i32, length3: i32): void {
  startLanes(INITIAL)
  compress(
    data,
    stride,
    length0 < 0 ? 0 : pad(data, length0, 0),
    length1 < 0 ? 0 : pad(data + stride, length1, 0),
    length2 < 0 ? 0 : pad(data + 2 * stride, length2, 0),
    length3 < 0 ? 0 : pad(data + 3 * stride, length3, 0),
  )
  writeHex()
}

/** The HMAC's two passes over lane `k` (when `k < n`): its inner message, or its inner digest. */
function macInner(lane: usize, k: usize, n: i32, leftover: i32, innerDone: i32): i32 {
  if (<i32>k >= n) return 0
  memory.copy(lane, MAC_LEFTOVER, leftover)
  memory.copy(lane + leftover, HEX + (k << 6), 64)
  return pad(lane, leftover + 64, innerDone)
}

function macOuter(lane: usize, k: usize, n: i32): i32 {
  if (<i32>k >= n) return 0
  for (let j: usize = 0; j < 8; j++) store<u32>(lane + (j << 2), bswap<u32>(load<u32>(STATES + (j << 4) + (k << 2))))
  return pad(lane, 32, 64)
}

/**
 * After hash(): for lanes 0..n-1, the HMAC of MAC_LEFTOVER followed by the lane's digest in hex,
 * under the key whose pads (and the message's fixed start) MAC_INNER and MAC_OUTER hold, `innerDone`
 * bytes into the inner hash. The MACs are left in STATES and, as hex, in HEX.
 */
export function mac(data: usize, stride: usize, n: i32, leftover: i32, innerDone: i32): void {
  const i0 = macInner(data, 0, n, leftover, innerDone)
  const i1 = macInner(data + stride, 1, n, leftover, innerDone)
  const i2 = macInner(data + 2 * stride, 2, n, leftover, innerDone)
  const i3 = macInner(data + 3 * stride, 3, n, leftover, innerDone)
  startLanes(MAC_INNER)
  compress(data, stride, i0, i1, i2, i3)
  const o0 = macOuter(data, 0, n)
  const o1 = macOuter(data + stride, 1, n)
  const o2 = macOuter(data + 2 * stride, 2, n)
  const o3 = macOuter(data + 3 * stride, 3, n)
  startLanes(MAC_OUTER)
  compress(data, stride, o0, o1, o2, o3)
  writeHex()
}

/**
 * Lane k's blocks start at `data + k * stride`; lane k takes `count_k` of them into its state (a
 * lane with fewer blocks than another keeps its state while the others go on; its extra reads stay
 * within its own `stride` bytes, which the caller sizes for the longest lane).
 */
export function compress(data: usize, stride: usize, count0: i32, count1: i32, count2: i32, count3: i32): void {
  const counts = i32x4.replace_lane(
    i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(count0), 1, count1), 2, count2),
    3,
    count3,
  )
  const blocks = max(max(count0, count1), max(count2, count3))
  let h0 = v128.load(STATES, 0)
  let h1 = v128.load(STATES, 16)
  let h2 = v128.load(STATES, 32)
  let h3 = v128.load(STATES, 48)
  let h4 = v128.load(STATES, 64)
  let h5 = v128.load(STATES, 80)
  let h6 = v128.load(STATES, 96)
  let h7 = v128.load(STATES, 112)
  for (let n = 0; n < blocks; n++, data += 64) {
    // The block's 16 words, one 4×4 transpose at a time: rows are lanes, columns are words.
    for (let i: usize = 0; i < 16; i += 4) {
      const r0 = byteSwap(v128.load(data + i * 4))
      const r1 = byteSwap(v128.load(data + stride + i * 4))
      const r2 = byteSwap(v128.load(data + 2 * stride + i * 4))
      const r3 = byteSwap(v128.load(data + 3 * stride + i * 4))
      const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5)
      const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5)
      const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7)
      const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7)
      v128.store(W + (i << 4), i64x2.shuffle(t0, t1, 0, 2))
      v128.store(W + ((i + 1) << 4), i64x2.shuffle(t0, t1, 1, 3))
      v128.store(W + ((i + 2) << 4), i64x2.shuffle(t2, t3, 0, 2))
      v128.store(W + ((i + 3) << 4), i64x2.shuffle(t2, t3, 1, 3))
    }
    for (let i: usize = 16; i < 64; i++) {
      const w15 = v128.load(W + ((i - 15) << 4))
      const w2 = v128.load(W + ((i - 2) << 4))
      const s0 = v128.xor(v128.xor(rotr(w15, 7), rotr(w15, 18)), i32x4.shr_u(w15, 3))
      const s1 = v128.xor(v128.xor(rotr(w2, 17), rotr(w2, 19)), i32x4.shr_u(w2, 10))
      const w16 = v128.load(W + ((i - 16) << 4))
      const w7 = v128.load(W + ((i - 7) << 4))
      v128.store(W + (i << 4), i32x4.add(i32x4.add(w16, s0), i32x4.add(w7, s1)))
    }
    let a = h0
    let b = h1
    let c = h2
    let d = h3
    let e = h4
    let f = h5
    let g = h6
    let h = h7
    for (let i: usize = 0; i < 64; i++) {
      const s1 = v128.xor(v128.xor(rotr(e, 6), rotr(e, 11)), rotr(e, 25))
      const ch = v128.xor(g, v128.and(e, v128.xor(f, g)))
      const kw = i32x4.add(i32x4.splat(load<u32>(K + (i << 2))), v128.load(W + (i << 4)))
      const t1 = i32x4.add(i32x4.add(h, s1), i32x4.add(ch, kw))
      const s0 = v128.xor(v128.xor(rotr(a, 2), rotr(a, 13)), rotr(a, 22))
      const maj = v128.xor(v128.and(a, b), v128.and(c, v128.xor(a, b)))
      h = g
      g = f
      f = e
      e = i32x4.add(d, t1)
      d = c
      c = b
      b = a
      a = i32x4.add(t1, i32x4.add(s0, maj))
    }
    // Only lanes with blocks left take this one.
    const live = i32x4.gt_s(counts, i32x4.splat(n))
    h0 = v128.bitselect(i32x4.add(h0, a), h0, live)
    h1 = v128.bitselect(i32x4.add(h1, b), h1, live)
    h2 = v128.bitselect(i32x4.add(h2, c), h2, live)
    h3 = v128.bitselect(i32x4.add(h3, d), h3, live)
    h4 = v128.bitselect(i32x4.add(h4, e), h4, live)
    h5 = v128.bitselect(i32x4.add(h5, f), h5, live)
    h6 = v128.bitselect(i32x4.add(h6, g), h6, live)
    h7 = v128.bitselect(i32x4.add(h7, h), h7, live)
  }
  v128.store(STATES, h0, 0)
  v128.store(STATES, h1, 16)
  v128.store(STATES, h2, 32)
  v128.store(STATES, h3, 48)
  v128.store(STATES, h4, 64)
  v128.store(STATES, h5, 80)
  v128.store(STATES, h6, 96)
  v128.store(STATES, h7, 112)
}
