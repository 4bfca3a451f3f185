// Dependencies between src/'s rooms point one way: a file imports only its own room and the rooms
// listed before it in docs/architecture.md's "Rooms" section, which is where the order is declared.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const src = join(root, 'src')

/** The rooms in order, from the numbered list under `## Rooms`: `errors.ts`, `util/`, … */
function roomOrder(): string[] {
  const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8')
  const section = doc.split(/^## /m).find((s) => s.startsWith('Rooms\n'))
  if (!section) throw new Error('docs/architecture.md has no "## Rooms" section')
  return [...section.matchAll(/^\d+\. `([a-z0-9-]+)(?:\/|\.ts)`/gm)].map((m) => m[1])
}

/** `src/s3/urls.ts` → `s3`, `src/config.ts` → `config`. */
function roomOf(file: string): string {
  return relative(src, file).split('/')[0].replace(/\.ts$/, '')
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** Relative module specifiers: static imports and re-exports (type-only too) and dynamic import(). */
function relativeImports(code: string): string[] {
  const found = code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.\.?\/[^'"]+)['"]/g)
  return [...found].map((m) => m[1])
}

/** Every import in src/ that breaks the order, as `from → to` lines. */
export function violations(order: string[], files: { path: string; code: string }[]): string[] {
  const rank = new Map(order.map((room, i) => [room, i]))
  const out: string[] = []
  for (const { path, code } of files) {
    const from = roomOf(path)
    if (!rank.has(from)) out.push(`${relative(root, path)}: room "${from}" is not listed in docs/architecture.md`)
    for (const spec of relativeImports(code)) {
      const target = resolve(dirname(path), spec)
      const to = roomOf(target)
      if (relative(src, target).startsWith('..')) {
        out.push(`${relative(root, path)} imports ${spec}, outside src/`)
      } else if ((rank.get(to) ?? Infinity) > (rank.get(from) ?? -Infinity)) {
        out.push(`${relative(root, path)} (${from}) imports ${spec} (${to}), a later room`)
      } else if (from === 'routes' && to === 'routes') {
        // Routes only join rooms: what two routes share belongs in a room below them.
        out.push(`${relative(root, path)} imports ${spec}, another route`)
      }
    }
  }
  return out
}

it('declares the room order in docs/architecture.md', () => {
  const order = roomOrder()
  expect(order.slice(0, 3)).toEqual(['errors', 'util', 's3'])
  expect(order.at(-1)).toBe('index')
  expect(new Set(order).size).toBe(order.length)
})

it('no file in src/ imports a room listed after its own', () => {
  const files = sourceFiles(src).map((path) => ({ path, code: readFileSync(path, 'utf8') }))
  expect(files.length).toBeGreaterThan(10)
  expect(violations(roomOrder(), files)).toEqual([])
})

it('catches an import that points the wrong way (type-only ones too) and one route importing another', () => {
  const file = (path: string, code: string) => ({ path: join(src, path), code })
  expect(
    violations(roomOrder(), [
      file('s3/urls.ts', "import { amzDate } from '../signing/sigv4'"),
      file('signing/presign.ts', "import type { Config } from '../config'\nimport { x } from '../s3/urls'"),
      file('errors.ts', "export { base64FromUtf8 } from './util/base64'"),
      file('routes/files.ts', "import { uploadRoutes } from './uploads'"),
    ]),
  ).toEqual([
    'src/s3/urls.ts (s3) imports ../signing/sigv4 (signing), a later room',
    'src/errors.ts (errors) imports ./util/base64 (util), a later room',
    'src/routes/files.ts imports ./uploads, another route',
  ])
})
