// bucketgate's own Worker: the gateway at the root, its settings from this Worker's env.
import { createGateway } from './gateway'

export default createGateway()

// Durable Object classes are exported from the Worker's main module.
export { UserLedger } from './ledger/user-ledger'
