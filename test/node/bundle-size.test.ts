// The deployable Worker stays small: a regression guard, far above today's size (README, Benchmarks).
import { expect, it } from 'vitest'
import { measureBundle } from '../../scripts/bundle-size.mjs'

/** Fail well before the Workers Free plan's 3 MiB limit; today's bundle is about 37 KiB gzip. */
const CEILING_GZIP_BYTES = 100 * 1024

it('the minified Worker bundle is under 100 KiB gzip', async () => {
  const { gzipBytes } = await measureBundle()
  expect(gzipBytes).toBeGreaterThan(10 * 1024) // it did build something
  expect(gzipBytes).toBeLessThan(CEILING_GZIP_BYTES)
})
