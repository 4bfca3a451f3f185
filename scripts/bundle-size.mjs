// The deployable bundle's size: `wrangler deploy --dry-run --minify` into a temp dir, then gzip
// (every module it would upload: the script and the SHA-256 WebAssembly).
// Used by the bundle ceiling test (test/node) and the benchmark; `node scripts/bundle-size.mjs` prints it.
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('..', import.meta.url))

/** { bytes, gzipBytes, metafile? } of the minified Worker bundle (wrangler's own build). */
export async function measureBundle({ metafile = false } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'bucketgate-bundle-'))
  try {
    const args = ['deploy', '--dry-run', '--minify', '--outdir', dir]
    if (metafile) args.push('--metafile', join(dir, 'meta.json'))
    await promisify(execFile)(join(root, 'node_modules/.bin/wrangler'), args, {
      cwd: root,
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    })
    const modules = (await readdir(dir)).filter((name) => name.endsWith('.js') || name.endsWith('.wasm'))
    const files = await Promise.all(modules.map((name) => readFile(join(dir, name))))
    return {
      modules,
      bytes: files.reduce((sum, f) => sum + f.length, 0),
      gzipBytes: files.reduce((sum, f) => sum + gzipSync(f).length, 0),
      metafile: metafile ? JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) : undefined,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Output bytes per npm package (or src/), largest first, from an esbuild metafile. */
export function weights(meta) {
  const [, output] = Object.entries(meta.outputs).find(([name]) => name.endsWith('.js'))
  const by = new Map()
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? 'src (bucketgate)'
    by.set(name, (by.get(name) ?? 0) + bytesInOutput)
  }
  return [...by].sort((a, b) => b[1] - a[1])
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { modules, bytes, gzipBytes, metafile } = await measureBundle({ metafile: true })
  const kib = (n) => (n / 1024).toFixed(1) + ' KiB'
  console.log(`bundle: ${kib(bytes)} minified, ${kib(gzipBytes)} gzip (${modules.join(', ')})`)
  for (const [name, size] of weights(metafile)) console.log(`  ${name.padEnd(28)} ${kib(size)}`)
}
