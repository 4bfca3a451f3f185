// The list's remembered URLs: one scope (every input but the key) at a time, per S3 setting, so a
// URL is only handed out again for exactly the request it was signed for.
import { describe, expect, it } from 'vitest'
import { urlMemo } from '../../../src/downloads/url-memo'
import type { Config } from '../../../src/config'

const s3 = (): Config['s3'] => ({
  endpoint: new URL('http://127.0.0.1:7480'),
  region: 'us-east-1',
  bucket: 'memo-test',
  accessKeyId: 'id',
  secretAccessKey: 'secret',
  pathStyle: true,
  timeoutMs: 1000,
})

describe('urlMemo', () => {
  it('remembers a URL by key within a scope, across requests of the same isolate', () => {
    const config = s3()
    urlMemo(config, 'window-1').remember('users/a/x.png', 'https://signed/x')
    const again = urlMemo(config, 'window-1')
    expect(again.get('users/a/x.png')).toBe('https://signed/x')
    expect(again.get('users/a/y.png')).toBeUndefined()
    expect(again.get('users/b/x.png')).toBeUndefined()
  })

  it('starts over in another scope, and keeps S3 settings apart', () => {
    const config = s3()
    urlMemo(config, 'window-1').remember('users/a/x.png', 'https://signed/x')
    expect(urlMemo(s3(), 'window-1').get('users/a/x.png')).toBeUndefined()
    expect(urlMemo(config, 'window-2').get('users/a/x.png')).toBeUndefined()
    // The old scope is gone, not kept beside the new one.
    expect(urlMemo(config, 'window-1').get('users/a/x.png')).toBeUndefined()
  })
})
