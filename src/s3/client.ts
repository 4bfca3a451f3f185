// The only place that talks to S3 from the Worker: one AwsClient per isolate (so its derived-key
// cache is reused), every call bounded by S3_TIMEOUT_MS, failures turned into S3Error (S3 said no)
// or S3Unavailable (S3 said nothing).
import { AwsClient } from 'aws4fetch'
import type { S3Settings } from './settings'
import { S3Error, S3Unavailable } from '../errors'
import { parseS3Error } from './xml'

let cached: { id: string; client: AwsClient } | undefined

function awsClient(s3: S3Settings): AwsClient {
  const id = [s3.accessKeyId, s3.secretAccessKey, s3.region].join('\n')
  if (cached?.id !== id) {
    // One retry for 5xx/429; the timeout below bounds the total either way.
    const client = new AwsClient({
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      region: s3.region,
      service: 's3',
      retries: 1,
    })
    cached = { id, client }
  }
  return cached.client
}

export async function s3Fetch(s3: S3Settings, url: string, init: RequestInit = {}): Promise<Response> {
  const signal = AbortSignal.timeout(s3.timeoutMs)
  let res: Response
  try {
    res = await awsClient(s3).fetch(url, { ...init, signal })
  } catch (err) {
    const name = (err as Error | undefined)?.name
    if (name === 'TimeoutError' || name === 'AbortError' || signal.aborted) {
      throw new S3Unavailable(true, `The storage service did not answer within ${s3.timeoutMs} ms`)
    }
    throw new S3Unavailable(false, 'The storage service could not be reached')
  }
  return res
}

/** Reads S3's XML error body (HEAD answers have none) into an S3Error. */
export async function toS3Error(res: Response): Promise<S3Error> {
  const body = res.status === 304 ? '' : await res.text().catch(() => '')
  const { code, message } = parseS3Error(body)
  return new S3Error(res.status, code ?? `HTTP${res.status}`, message ?? '')
}
