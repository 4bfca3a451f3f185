// The bench app (bench/app/worker.ts) with the UserLedger class exported too, so a configuration can
// bind it: the same Worker with and without the ledger, for bench/ledger.mjs.
export { default } from '../app/worker'
export { UserLedger } from '../../src/index'
