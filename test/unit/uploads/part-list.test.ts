// The part list that completes a multipart upload, in the API's spelling and in Uppy's: the same
// bounds on part numbers, ETags and the list's length under either.
import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { completeBody } from '../../../src/uploads/part-list'
import { MAX_PARTS } from '../../../src/s3/limits'

const issue = (schema: v.GenericSchema, input: unknown) => v.safeParse(schema, input).issues?.[0]?.message

describe.each([
  ['the API', completeBody('partNumber', 'etag'), (n: number, e: string) => ({ partNumber: n, etag: e })],
  ['Uppy', completeBody('PartNumber', 'ETag'), (n: number, e: string) => ({ PartNumber: n, ETag: e })],
])('completeBody as %s spells it', (_, schema, part) => {
  it('takes ETags quoted (S3) or not (RGW)', () => {
    const parts = [part(1, '"9b2cf535f27731c974343645a3985328"'), part(2, '9b2cf535f27731c974343645a3985328-2')]
    expect(v.parse(schema, { parts })).toEqual({ parts })
  })

  it('refuses an empty list, a part number S3 would refuse, and anything but an ETag', () => {
    expect(issue(schema, { parts: [] })).toBe('must name at least one part')
    expect(issue(schema, { parts: [part(0, 'abc')] })).toBeDefined()
    expect(issue(schema, { parts: [part(MAX_PARTS + 1, 'abc')] })).toBeDefined()
    expect(issue(schema, { parts: [part(1, 'a"b')] })).toBe('must be an ETag')
    expect(
      issue(schema, { parts: Array.from({ length: MAX_PARTS + 1 }, (_, i) => part((i % MAX_PARTS) + 1, 'abc')) }),
    ).toBe(`must name at most ${MAX_PARTS} parts`)
  })

  it('refuses the other spelling', () => {
    expect(issue(schema, { parts: [{ partnumber: 1, Etag: 'abc' }] })).toBeDefined()
  })
})
