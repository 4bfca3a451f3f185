// The upload queue (static/js/upload-queue.js) with uploaders written here: the order of states, the
// concurrency limit, failures with their reasons, cancel and retry.
import { describe, expect, it } from 'vitest'
import { UploadError } from '../../static/js/upload-errors.js'
import { createUploadQueue, type UploadJob } from '../../static/js/upload-queue.js'

type Uploader = UploadJob['uploader']

const file = (name: string, size = 10) => new File(['x'.repeat(size)], name)

/** An uploader that waits until the test lets it finish (or fail), and reports what it was given. */
function heldUploader() {
  const started: string[] = []
  const finish = new Map<string, (outcome?: Error) => void>()
  const uploader: Uploader = (f, { onProgress, signal }) =>
    new Promise((resolve, reject) => {
      started.push(f.name)
      onProgress(f.size / 2, f.size)
      signal.addEventListener('abort', () => reject(new Error('aborted')))
      finish.set(f.name, (outcome) => (outcome ? reject(outcome) : resolve({ key: `0/${f.name}` })))
    })
  return { uploader, started, finish }
}

function recordingQueue(concurrency: number) {
  const seen: string[] = []
  const settled: UploadJob[] = []
  const queue = createUploadQueue({
    concurrency,
    onChange: (job) => seen.push(`${job.file.name}:${job.state}`),
    onSettled: (job) => settled.push(job),
  })
  return { queue, seen, settled }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('createUploadQueue', () => {
  it('runs at most `concurrency` at once and starts the next as one ends', async () => {
    const { uploader, started, finish } = heldUploader()
    const { queue, settled } = recordingQueue(2)
    const jobs = ['a', 'b', 'c'].map((n) => queue.add(file(n), uploader))
    await tick()
    expect(started).toEqual(['a', 'b'])
    expect(jobs.map((j) => j.state)).toEqual(['uploading', 'uploading', 'queued'])
    expect(queue.active).toBe(3)
    expect(jobs[0].loaded).toBe(5) // progress reached the job

    finish.get('a')!()
    await tick()
    expect(started).toEqual(['a', 'b', 'c'])
    expect(jobs[0].state).toBe('done')
    expect(jobs[0].result).toEqual({ key: '0/a' })
    expect(jobs[0].loaded).toBe(10)
    expect(settled.map((j) => j.file.name)).toEqual(['a'])
    finish.get('b')!()
    finish.get('c')!()
    await tick()
    expect(queue.active).toBe(0)
  })

  it("shows an uploader's reason and whether Retry can help; other errors get a generic reason", async () => {
    const { uploader, finish } = heldUploader()
    const { queue } = recordingQueue(3)
    const final = queue.add(file('final'), uploader)
    const busy = queue.add(file('busy'), uploader)
    const odd = queue.add(file('odd'), uploader)
    await tick()
    finish.get('final')!(new UploadError('Too large: no', { retryable: false }))
    finish.get('busy')!(new UploadError('The storage is busy'))
    finish.get('odd')!(new TypeError('boom'))
    await tick()
    expect([final.state, final.reason, final.retryable]).toEqual(['failed', 'Too large: no', false])
    expect([busy.state, busy.reason, busy.retryable]).toEqual(['failed', 'The storage is busy', true])
    expect([odd.state, odd.reason, odd.retryable]).toEqual(['failed', 'Upload failed: boom', true])
  })

  it('fails a file with a problem at once, without running its uploader', async () => {
    const { uploader, started } = heldUploader()
    const { queue, settled } = recordingQueue(3)
    const job = queue.add(file('huge'), uploader, 'Too large: 2 MB; the limit is 1 MB')
    await tick()
    expect(started).toEqual([])
    expect([job.state, job.reason, job.retryable]).toEqual(['failed', 'Too large: 2 MB; the limit is 1 MB', false])
    expect(settled).toEqual([job])
  })

  it('cancels a waiting job at once and a running one through its signal, and retries either', async () => {
    const { uploader, started, finish } = heldUploader()
    const { queue, seen } = recordingQueue(1)
    const running = queue.add(file('running'), uploader)
    const waiting = queue.add(file('waiting'), uploader)
    await tick()
    queue.cancel(waiting)
    expect(waiting.state).toBe('cancelled')
    queue.cancel(running)
    await tick()
    expect(running.state).toBe('cancelled')
    expect(started).toEqual(['running']) // the cancelled waiting job never ran

    queue.retry(running)
    await tick()
    expect(running.state).toBe('uploading')
    finish.get('running')!()
    await tick()
    expect(running.state).toBe('done')
    expect(seen.filter((s) => s.startsWith('running:'))).toEqual([
      'running:queued',
      'running:uploading',
      'running:uploading', // progress
      'running:cancelled',
      'running:queued',
      'running:uploading',
      'running:uploading',
      'running:done',
    ])
    queue.retry(running) // a finished job stays finished
    expect(running.state).toBe('done')
  })

  it('cancelAll ends every job and resolves once the running uploaders have returned', async () => {
    const { uploader } = heldUploader()
    const { queue } = recordingQueue(1)
    const jobs = ['x', 'y'].map((n) => queue.add(file(n), uploader))
    await tick()
    await queue.cancelAll()
    expect(jobs.map((j) => j.state)).toEqual(['cancelled', 'cancelled'])
    expect(queue.active).toBe(0)
  })
})
