// A host Worker with its own sign-in that mounts bucketgate under /files. Its toy auth: the caller
// names a user in X-Host-User and proves it with X-Host-Key, the shared HOST_API_KEY. A real host
// would read its own session here; bucketgate only needs the user's id back.
import { Hono, type Context } from 'hono'
import { createGateway, type UploadCompletedEvent } from 'bucketgate'

export type HostEnv = { HOST_API_KEY: string; [setting: string]: unknown }

const encoder = new TextEncoder()

/** Equal strings, compared in constant time over their SHA-256 digests (the lengths stay hidden). */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([a, b].map((s) => crypto.subtle.digest('SHA-256', encoder.encode(s))))
  return crypto.subtle.timingSafeEqual(x, y)
}

async function hostUser(c: Context<{ Bindings: HostEnv }>): Promise<string | null> {
  const key = c.req.header('X-Host-Key')
  const user = c.req.header('X-Host-User')
  if (!key || !user || !(await sameSecret(key, c.env.HOST_API_KEY))) return null
  return user
}

/** What the host does when a file has arrived: here, a log line (Workers Logs). */
function onUploadCompleted(event: UploadCompletedEvent) {
  console.log('upload completed', JSON.stringify(event))
}

const app = new Hono<{ Bindings: HostEnv }>()
app.get('/', (c) => c.text('A host app. Files live under /files.'))
// The S3 and upload settings come from this Worker's env, under bucketgate's names.
app.route('/files', createGateway({ getUser: hostUser, onUploadCompleted }))

export default app
