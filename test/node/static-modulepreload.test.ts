// index.html names every module of the page's import graph in a <link rel="modulepreload">, so the
// browser fetches them all in one round trip; a module added without its link fails here.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const STATIC = fileURLToPath(new URL('../../static', import.meta.url))

async function importGraph(entry: string): Promise<Set<string>> {
  const seen = new Set<string>()
  const visit = async (path: string) => {
    if (seen.has(path)) return
    seen.add(path)
    const source = await readFile(`${STATIC}${path}`, 'utf8')
    for (const [, spec] of source.matchAll(/^(?:import|export)\s[^'"]*?from\s+'(\.\/[^']+)'/gm)) {
      await visit(new URL(spec, `https://page${path}`).pathname)
    }
  }
  await visit(entry)
  return seen
}

it('preloads exactly the modules main.js imports, directly or not', async () => {
  const html = await readFile(`${STATIC}/index.html`, 'utf8')
  // Links are relative (the page may be mounted below a path): js/x.js is /js/x.js at the root.
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => `/${m[1]}`).sort()
  const graph = await importGraph('/js/main.js')
  graph.delete('/js/main.js') // the entry itself is the <script>
  expect(preloaded).toEqual([...graph].sort())
  expect(html).toContain('<script type="module" src="js/main.js"></script>')
})
