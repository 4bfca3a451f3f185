// The app, plus GET /__bench/s3-list?prefix=: the same signed ListObjectsV2 request GET /api/files
// sends (through the app's own S3 client), answered with the number of keys and nothing else.
import app from '../../src/index'
import { readConfig } from '../../src/config'
import { s3Fetch } from '../../src/s3/client'
import { bucketUrl } from '../../src/s3/urls'
import { toQueryString } from '../../src/signing/sigv4'
import type { Bindings } from '../../src/env'

export default {
  async fetch(request: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname !== '/__bench/s3-list') return app.fetch(request, env, ctx)
    const s3 = readConfig(env).s3
    const params: [string, string][] = [
      ['list-type', '2'],
      ['prefix', url.searchParams.get('prefix') ?? ''],
      ['max-keys', '1000'],
    ]
    const res = await s3Fetch(s3, `${bucketUrl(s3)}/?${toQueryString(params)}`)
    const body = await res.text()
    return new Response(String(body.split('<Key>').length - 1), { status: res.status })
  },
}
