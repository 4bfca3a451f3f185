// Bundled by `npm run build` into dist/settings.mjs, so `npm start` checks the settings in Node with
// the Worker's own parser (same names, same messages) and fails before workerd starts.
import { EnvSchema } from '../../src/config'

export { ConfigError, parseConfig } from '../../src/config'

/** The names the Worker reads as settings; `npm start` binds exactly these into workerd. */
export const SETTING_NAMES = Object.keys(EnvSchema.entries)
