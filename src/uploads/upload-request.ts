// What a client sends to start an upload (single or multipart): the file's name, media type and size,
// checked for shape here; upload-rules.ts then holds them to the settings.
import * as v from 'valibot'
import { CONTROL_CHARACTERS } from '../keys'

/** Longest original file name accepted, in characters (most file systems stop at 255). */
const MAX_NAME_LENGTH = 255

export const UploadRequest = v.object({
  name: v.pipe(
    v.string('must be a string'),
    v.minLength(1, 'must not be empty'),
    v.maxLength(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`),
    v.check((s) => !CONTROL_CHARACTERS.test(s), 'must not contain control characters'),
    v.check((s) => s.isWellFormed(), 'must be valid Unicode'),
  ),
  type: v.pipe(
    v.string('must be a string'),
    v.toLowerCase(),
    v.regex(
      /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/,
      'must be a media type like image/png',
    ),
  ),
  size: v.pipe(
    v.number('must be a number'),
    v.safeInteger('must be a whole number'),
    v.minValue(0, 'must not be negative'),
  ),
})

/** What a client sends for a preview's ticket: the stored file's key (relative) and the preview's size. */
export const PreviewRequest = v.object({
  key: v.string('must be a string'),
  size: v.pipe(
    v.number('must be a number'),
    v.safeInteger('must be a whole number'),
    v.minValue(1, 'must be at least 1'),
  ),
})
