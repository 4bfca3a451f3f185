// Where Debian's Chromium is (installed by .ci/run with apt; never a downloaded browser) and the
// flags it runs with here. Apart from browser.ts so global setup can read it without vitest.
export const CHROMIUM = process.env.BUCKETGATE_CHROMIUM ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
]
