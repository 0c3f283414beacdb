import { describe, expect, it } from 'vitest'
import { EMPTY_PAGE, landingQuery, trackerSetups } from './browser'

const dub = { present: true as const, dir: '/peers/dub', base: '/peers/dub/script.js', allFeatures: '/peers/dub/script.site-visit.outbound-domains.conversion-tracking.js' }

describe('tracker setups', () => {
  it('measures ours both ways and Dub’s two scripts when the peers folder is there', () => {
    expect(trackerSetups(dub).map((setup) => [setup.vendor, setup.cookie])).toEqual([
      ['ours', 'refp_id'],
      ['ours', 'refp_id'],
      ['dub', 'dub_id'],
      ['dub', 'dub_id'],
    ])
  })

  it('leaves Dub out, and only Dub, when the peers folder is missing', () => {
    expect(trackerSetups({ present: false, dir: '/nowhere', reason: 'missing' }).map((setup) => setup.vendor)).toEqual(['ours', 'ours'])
  })

  it('configures Dub’s script as its README says: a refer domain (or ?via= does nothing) and the API host', () => {
    const html = trackerSetups(dub)[2]!.html('http://dub-api.bench.test:1')
    expect(html).toContain('src="/dub/script.js"')
    expect(html).toContain(`data-domains='{"refer":"go.bench.test"}'`)
    expect(html).toContain('data-api-host="http://dub-api.bench.test:1"')
  })

  it('gives every setup the same page, our tracker alone on it', () => {
    const [script, module] = trackerSetups(dub).map((setup) => setup.html('http://api'))
    expect(script).toContain('<script src="/dist/refport.js" data-publishable-key="pk_test_refport" data-api-host="http://api" defer></script>')
    expect(module).toContain("import { init } from '/dist/index.js'; init({ publishableKey: 'pk_test_refport', apiHost: 'http://api' })")
    // The control page is the same document with no script at all.
    expect(EMPTY_PAGE.html('http://api')).not.toContain('<script')
  })

  it.each([
    ['direct', '?refp_id=cl_bench_123', '?dub_id=cl_bench_123'],
    ['partner', '?via=jane', '?via=jane'],
    ['later', '', ''],
  ] as const)('the %s landing carries the tracker’s own param', (landing, ours, theirs) => {
    const [script, , dubBase] = trackerSetups(dub)
    expect([landingQuery(script!, landing), landingQuery(dubBase!, landing)]).toEqual([ours, theirs])
  })
})
