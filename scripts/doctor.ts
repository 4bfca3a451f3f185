// `npm run doctor [-- --fix] [--origin https://files.example.com] [--env-file .dev.vars]`: checks the
// configured bucket with src/doctor/checks.ts and prints what is wrong and the fix; exits 1 when
// anything is wrong (after --fix, when anything is still wrong), 2 when the settings are invalid.
// `--ledger USER [--url <worker>]` instead rebuilds that user's usage ledger (scripts/ledger-repair.ts).
// Settings: the env file (default .dev.vars), then the environment, which wins.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { parseArgs, parseEnv } from 'node:util'
import { parseConfig } from '../src/config'
import { applyFixes, runChecks, type DoctorOptions, type Finding } from '../src/doctor/checks'
import { ConfigError, S3Unavailable } from '../src/errors'
import { repairLedger } from './ledger-repair'

const USAGE = `usage: npm run doctor [-- --fix] [--origin <page origin>] [--env-file <file>]

Checks the bucket bucketgate is configured for (S3_* settings from .dev.vars and the environment):
it exists and the credentials can put/list/delete, it is private, CORS lets the page's origin
(APP_ORIGIN or --origin) upload and read ETags, and a lifecycle rule aborts incomplete multipart
uploads. --fix adds the CORS and lifecycle rules. Exit status 0 only when everything is right.

--ledger <user> [--url <worker URL>] rebuilds that user's usage ledger from an S3 listing of their
files through the Worker's admin route (needs ADMIN_TOKEN; the URL defaults to APP_ORIGIN) and
reports the drift it fixed. Exit status 0 when there was none.`

function readSettings(envFile: string): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {}
  return { ...fromFile, ...process.env }
}

function print(findings: Finding[]) {
  for (const f of findings) {
    console.log(`${f.ok ? '✔' : '✘'} ${f.check}: ${f.message}`)
    if (!f.ok && f.fix) console.log(`    fix: ${f.fix}${f.fixable ? '\n    (npm run doctor -- --fix does this)' : ''}`)
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      fix: { type: 'boolean', default: false },
      origin: { type: 'string' },
      ledger: { type: 'string' },
      url: { type: 'string' },
      'env-file': { type: 'string', default: '.dev.vars' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  if (values.ledger) return repairLedger(readSettings(values['env-file']), values.ledger, values.url)
  let config
  try {
    config = parseConfig(readSettings(values['env-file']), { requireAuth: false })
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`${err.message}\n(read from ${values['env-file']} and the environment)`)
    return 2
  }
  const opts: DoctorOptions = {
    origin: values.origin ? new URL(values.origin).origin : undefined,
    md5: async (body) => createHash('md5').update(body).digest('base64'),
  }
  console.log(
    `bucketgate doctor: bucket "${config.s3.bucket}" at ${config.s3.endpoint.origin}, region ${config.s3.region}, ` +
      `page origin ${opts.origin ?? config.appOrigin ?? '(not set)'}\n`,
  )
  let findings: Finding[]
  try {
    findings = await runChecks(config, opts)
  } catch (err) {
    if (!(err instanceof S3Unavailable)) throw err
    console.log(`✘ bucket: ${err.message} (S3_ENDPOINT ${config.s3.endpoint.origin})`)
    console.log('    fix: check S3_ENDPOINT, and that this machine can reach it')
    return 1
  }
  print(findings)
  if (values.fix && findings.some((f) => !f.ok && f.fixable)) {
    const done = await applyFixes(config, findings, opts)
    console.log(`\nfixed: ${done.join('; ')}\n\nchecking again:\n`)
    findings = await runChecks(config, opts)
    print(findings)
  }
  const problems = findings.filter((f) => !f.ok).length
  console.log(problems ? `\n${problems} problem${problems > 1 ? 's' : ''} found.` : '\nAll good.')
  return problems ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('doctor failed:', err instanceof Error ? err.message : err)
    process.exit(1)
  },
)
