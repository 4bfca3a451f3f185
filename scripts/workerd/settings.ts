// Bundled by `npm run build` into dist/settings.mjs, so `npm start` checks the settings in Node with
// the Worker's own parser (same names, same messages) and fails before workerd starts.
import { SETTINGS } from '../../src/config'

export { needsLedger, parseConfig } from '../../src/config'
export { ConfigError } from '../../src/errors'

/** The names the Worker reads as settings; `npm start` binds exactly these into workerd. */
export const SETTING_NAMES = SETTINGS.map((s) => s.name)
