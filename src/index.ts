// bucketgate's own Worker: the gateway at the root, its settings from this Worker's env.
import { createGateway } from './gateway'

export default createGateway()
