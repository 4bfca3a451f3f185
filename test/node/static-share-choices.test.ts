// The Share dialog's choices and the Shares view's words (static/js/share-choices.js).
import { describe, expect, it } from 'vitest'
import { createdSummary, downloadsLabel, expiryChoice, limitChoice } from '../../static/js/share-choices.js'

describe('share choices', () => {
  it('turns presets and custom hours into seconds, refusing what is not a whole number of hours', () => {
    expect(expiryChoice('3600', '')).toEqual({ seconds: 3600 })
    expect(expiryChoice('604800', '')).toEqual({ seconds: 604800 })
    expect(expiryChoice('custom', '48')).toEqual({ seconds: 172800 })
    for (const bad of ['0', '-1', '1.5', '', 'x']) expect(expiryChoice('custom', bad)).toHaveProperty('problem')
  })

  it('reads an empty limit as none and refuses anything but a whole number from 1', () => {
    expect(limitChoice('')).toEqual({ maxDownloads: null })
    expect(limitChoice(' 3 ')).toEqual({ maxDownloads: 3 })
    for (const bad of ['0', '-2', '2.5', 'many']) expect(limitChoice(bad)).toHaveProperty('problem')
  })

  it('says downloads against the limit and what a new link allows', () => {
    expect(downloadsLabel({ downloads: 1, maxDownloads: 2 })).toBe('1 / 2')
    expect(downloadsLabel({ downloads: 3, maxDownloads: null })).toBe('3 / no limit')
    const date = () => 'tomorrow'
    expect(createdSummary({ expiresAt: 'x', maxDownloads: 1 }, true, date)).toBe(
      'Works until tomorrow, 1 download, password protected.',
    )
    expect(createdSummary({ expiresAt: 'x', maxDownloads: null }, false, date)).toBe(
      'Works until tomorrow, any number of downloads.',
    )
  })
})
