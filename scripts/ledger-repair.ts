// `npm run doctor -- --ledger USER [--url https://files.example.com]`: asks the deployed Worker to
// rebuild one user's usage ledger from an S3 listing (POST /api/admin/ledgers/:user/rebuild, with
// ADMIN_TOKEN) and prints the drift it fixed. Exit 0 when there was none, 1 when there was or on failure.

type Drift = {
  user: string
  before: { bytes: number; files: number }
  after: { bytes: number; files: number }
  added: string[]
  removed: string[]
  resized: string[]
}

export async function repairLedger(settings: Record<string, string | undefined>, user: string, url?: string) {
  const base = url ?? settings.APP_ORIGIN
  const token = settings.ADMIN_TOKEN
  if (!base || !token) {
    console.error('--ledger needs the Worker URL (--url or APP_ORIGIN) and ADMIN_TOKEN (.dev.vars or the environment)')
    return 2
  }
  const endpoint = new URL(`/api/admin/ledgers/${encodeURIComponent(user)}/rebuild`, base)
  const res = await fetch(endpoint, { method: 'POST', headers: { Authorization: `Bearer ${token}` } })
  if (!res.ok) {
    console.error(`✘ ledger: ${endpoint.origin} answered ${res.status}: ${await res.text()}`)
    return 1
  }
  const drift = (await res.json()) as Drift
  const show = (t: { bytes: number; files: number }) => `${t.bytes} bytes in ${t.files} files`
  for (const [label, keys] of [
    ['counted (in S3, missing from the ledger)', drift.added],
    ['dropped (in the ledger, gone from S3)', drift.removed],
    ['resized (size differed from S3)', drift.resized],
  ] as const) {
    for (const key of keys) console.log(`  ${label}: ${key}`)
  }
  const drifted = drift.added.length + drift.removed.length + drift.resized.length
  console.log(
    drifted
      ? `✘ ledger of ${drift.user}: ${drifted} file(s) drifted; was ${show(drift.before)}, now ${show(drift.after)}`
      : `✔ ledger of ${drift.user}: matches S3 (${show(drift.after)})`,
  )
  return drifted ? 1 : 0
}
