// Global setup of the browser suite: one Ceph RGW for the whole run (or the one named by
// BUCKETGATE_RGW_ENDPOINT). Without RGW or Chromium the suite is skipped loudly; under CI=true
// either one missing is a failure, as in test/setup/global.ts.
import { existsSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { rgwAvailable, startRgw } from '../../scripts/lib/rgw.mjs'
import { TEST_S3 } from '../setup/test-values'
import { CHROMIUM } from './chromium'

declare module 'vitest' {
  export interface ProvidedContext {
    rgwEndpoint: string
    browserSkipReason: string
  }
}

function skipLoudly(reason: string) {
  const banner = '!'.repeat(78)
  console.warn(`\n${banner}\nThe browser tests are SKIPPED.\n${reason}\n${banner}\n`)
  if (process.env.CI) throw new Error(`CI must run the browser tests: ${reason}`)
}

export default async function setup(project: TestProject) {
  let stop = async () => {}
  let endpoint = process.env.BUCKETGATE_RGW_ENDPOINT ?? ''
  let skipReason = ''
  if (!existsSync(CHROMIUM)) skipReason = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`
  if (!endpoint && !skipReason) {
    const available = rgwAvailable()
    if (available.ok) {
      const rgw = await startRgw({ ...TEST_S3.credentials })
      endpoint = rgw.endpoint
      stop = rgw.stop
    } else {
      skipReason = available.reason
    }
  }
  if (skipReason) skipLoudly(skipReason)
  project.provide('rgwEndpoint', endpoint)
  project.provide('browserSkipReason', skipReason)
  return () => stop().catch((err) => console.error('teardown:', err))
}
