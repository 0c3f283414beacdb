import { describe, expect, it } from 'vitest'
import vm from 'node:vm'
import { dubClickAnswer, EMPTY_PAGE, harness, landingQuery, trackerSetups } from './browser'

const dub = {
  present: true as const,
  dir: '/peers/dub',
  base: '/peers/dub/script.js',
  allFeatures: '/peers/dub/script.site-visit.outbound-domains.conversion-tracking.js',
}

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
    expect(trackerSetups({ present: false, dir: '/nowhere', reason: 'missing' }).map((setup) => setup.vendor)).toEqual([
      'ours',
      'ours',
    ])
  })

  it('configures Dub’s script as its README says: a refer domain (or ?via= does nothing) and the API host', () => {
    const html = trackerSetups(dub)[2]!.html('http://dub-api.bench.test:1')
    expect(html).toContain('src="/dub/script.js"')
    expect(html).toContain(`data-domains='{"refer":"go.bench.test"}'`)
    expect(html).toContain('data-api-host="http://dub-api.bench.test:1"')
  })

  it('gives every setup the same page, our tracker alone on it', () => {
    const [script, module] = trackerSetups(dub).map((setup) => setup.html('http://api'))
    expect(script).toContain(
      '<script src="/dist/refport.js" data-publishable-key="pk_test_refport" data-api-host="http://api" defer></script>',
    )
    expect(module).toContain(
      "import { init } from '/dist/index.js'; init({ publishableKey: 'pk_test_refport', apiHost: 'http://api' })",
    )
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

describe('the in-page harness', () => {
  /** A page stand-in: a Document with a cookie accessor, history, events, fetch and marks. */
  function fakePage() {
    class Document {
      jar = ''
      get cookie(): string {
        return this.jar
      }
      set cookie(value: string) {
        this.jar = value
      }
    }
    const original = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!
    class History {
      replaced: unknown[] = []
      replaceState(...args: unknown[]): void {
        this.replaced.push(args)
      }
    }
    class EventTarget {
      dispatchEvent(): boolean {
        return true
      }
    }
    class MutationObserver {
      constructor(readonly callback: (...args: unknown[]) => void) {}
    }
    const marks: string[] = []
    let clock = 0
    const context = vm.createContext({
      Document,
      History,
      EventTarget,
      MutationObserver,
      fetch: () => 'fetched',
      performance: { mark: (name: string) => marks.push(name), now: () => (clock += 1) },
      Date,
    })
    vm.runInContext('globalThis.window = globalThis', context)
    return { context, Document, History, original, marks, window: context as Record<string, unknown> }
  }

  it('mark-only (traced runs): sets the start mark and wraps nothing', () => {
    const page = fakePage()
    vm.runInContext(harness('refp_id', 'mark-only'), page.context)
    expect(page.marks).toEqual(['bench:start'])
    expect(Object.getOwnPropertyDescriptor(page.Document.prototype, 'cookie')).toEqual(page.original)
  })

  it.each([
    ['the click-ID cookie written', 'refp_id=cl_1; Path=/', true],
    ['an expiry of it', 'refp_id=; Path=/; Max-Age=-1', false],
    ['another cookie', 'refp_pending=cl_1|jane; Path=/', false],
  ])('cookie-time (untraced runs): notes %s: %s', (_, written, noted) => {
    const page = fakePage()
    vm.runInContext(harness('refp_id', 'cookie-time'), page.context)
    const document = new page.Document()
    document.cookie = written
    expect(document.jar).toBe(written) // the write still reaches the jar
    expect(page.window.__cookieAt !== undefined).toBe(noted)
    expect(page.marks).toEqual(['bench:start'])
  })

  it('count (profiling runs): counts cookie reads and writes, replaceState, events and fetches, and still does them', () => {
    const page = fakePage()
    vm.runInContext(harness('refp_id', 'count'), page.context)
    const document = new page.Document()
    document.cookie = 'refp_id=cl_1'
    expect([document.cookie, document.cookie]).toEqual(['refp_id=cl_1', 'refp_id=cl_1'])
    const history = new page.History()
    history.replaceState(null, '', '/clean')
    expect(history.replaced).toEqual([[null, '', '/clean']])
    expect(vm.runInContext('fetch()', page.context)).toBe('fetched')
    const counters = page.window.__counters as Record<string, { calls: number; each: number[] }>
    expect(Object.fromEntries(Object.entries(counters).map(([key, { calls }]) => [key, calls]))).toEqual({
      cookieRead: 2,
      cookieWrite: 1,
      replaceState: 1,
      dispatchEvent: 0,
      fetch: 1,
      mutationCallback: 0,
    })
    expect(counters.cookieRead!.each).toHaveLength(2)
  })
})

describe('Dub’s click stand-in', () => {
  it('answers a partner link with its partner, as Dub’s API does, so Dub’s script writes its partner cookie as ours does', () => {
    const answer = dubClickAnswer('dubbench1')
    expect(answer.clickId).toBe('dubbench1')
    // Dub's script stores a partner cookie only when `data.partner` is there, and encodes `partner.name`.
    expect(typeof answer.partner.name).toBe('string')
  })
})
