// S3's XML answers over RGW's own: a key with every XML-special character through a multipart
// upload (UploadId, ListParts, errors). The shapes alone: test/unit/s3/xml.test.ts.
import { expect, it } from 'vitest'
import { userRoot } from '../../src/keys'
import { s3Fetch } from '../../src/s3/client'
import { completeMultipartUpload, createMultipartUpload, listParts } from '../../src/s3/multipart'
import { objectUrl } from '../../src/s3/urls'
import { toQueryString } from '../../src/s3/encoding'
import { S3Error } from '../../src/errors'
import { config, describeS3, s3Get, uniqueUser } from '../helpers'

describeS3('S3 answers from RGW', () => {
  it('a multipart upload of a key with & < > " \' reads back its UploadId, part ETag and errors', async () => {
    const key = `${userRoot('users/', uniqueUser('xml'))}a&b<c>d"e'f ü.bin`
    const uploadId = await createMultipartUpload(config.s3, key, 'application/octet-stream')
    const query = (params: [string, string][]) => `${objectUrl(config.s3, key)}?${toQueryString(params)}`

    const body = new TextEncoder().encode('one small last part')
    const put = await s3Fetch(
      config.s3,
      query([
        ['partNumber', '1'],
        ['uploadId', uploadId],
      ]),
      { method: 'PUT', body },
    )
    expect(put.status).toBe(200)
    const etag = put.headers.get('ETag')!.replace(/"/g, '')

    // RGW writes the key escaped in ListParts: the references are really there to decode.
    const raw = await (await s3Fetch(config.s3, query([['uploadId', uploadId]]))).text()
    expect(raw).toContain('a&amp;b&lt;c&gt;')
    expect(await listParts(config.s3, key, uploadId)).toEqual([{ partNumber: 1, etag, size: body.length }])

    await completeMultipartUpload(config.s3, key, uploadId, [{ partNumber: 1, etag }])
    expect(await s3Get(key)).toEqual({ status: 200, bytes: body })

    // RGW's own error body, read by parseS3Error: once completed the upload is gone (RGW says
    // NoSuchKey, AWS NoSuchUpload).
    const gone = await listParts(config.s3, key, uploadId).catch((e: unknown) => e)
    expect(gone).toBeInstanceOf(S3Error)
    expect(gone).toMatchObject({ status: 404, s3Code: expect.stringMatching(/^NoSuch(Upload|Key)$/) })
  })
})
