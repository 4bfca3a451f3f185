// README's configuration table and config.ts's schema name the same settings: a setting added,
// renamed or removed in one and not the other fails here, as does a default the table misstates.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, it } from 'vitest'
import { SETTINGS } from '../../src/config'

type Row = { names: string[]; default: string }

/** The rows under `## Configuration` whose first cell names settings in backticks. */
function tableRows(): Row[] {
  const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8')
  const section = readme.split(/^## /m).find((s) => s.startsWith('Configuration\n'))
  if (!section) throw new Error('README.md has no "## Configuration" section')
  return section
    .split('\n')
    .filter((line) => /^\|\s*`/.test(line))
    .map((line) => {
      const [first, second = ''] = line.split('|').slice(1)
      return { names: [...first.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]), default: second.trim() }
    })
}

it('the README table lists exactly the settings config.ts reads', () => {
  const documented = tableRows().flatMap((row) => row.names)
  expect(documented.length).toBe(new Set(documented).size)
  expect([...documented].sort()).toEqual(SETTINGS.map((s) => s.name).sort())
})

it('the README table marks the required settings, and its literal defaults are config.ts defaults', () => {
  const byName = new Map(SETTINGS.map((s) => [s.name, s]))
  for (const row of tableRows()) {
    for (const name of row.names) {
      const setting = byName.get(name)
      if (!setting) continue // the first test names it
      expect(/\brequired\b/.test(row.default), `${name}: required`).toBe(setting.required)
      // A default written as one literal (`us-east-1`) must be the schema's; prose ("automatic") is not checked.
      const literal = /^`([^`]*)`$/.exec(row.default)
      if (literal) expect(literal[1], `${name}: default`).toBe(setting.default)
    }
  }
})
