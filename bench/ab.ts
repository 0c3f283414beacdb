/**
 * `npm run bench:ab`: what a change to the tracker would save in main-thread time,
 * before anyone commits it. Each variant is the script tag rebuilt from a copy of the
 * sources with a few exact text edits (a prototype: the edit may drop behaviour, the
 * point is the cost of what it removes), minified as the shipped file is (esbuild syntax
 * pass, then terser with the build's options). The baseline is the same sources untouched,
 * built the same way. Baseline, variants and Dub's base script take turns in rotated
 * rounds on each landing, every visit traced as in `npm run bench`; the report gives each
 * row's median, its paired ratio to the baseline and to Dub's base script.
 *
 * AB_RUNS=<n> rounds (default 10); AB_LANDINGS=direct,partner,later; AB_ONLY=<comma list of
 * variant names>; AB_OUT=<file> also writes the report. An edit whose text is not found fails the run: a variant never silently
 * measures the baseline.
 */
import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { minify } from 'terser'
import { BrowserBench, trackerSetups, type Landing, type TrackerSetup, type Visit } from './browser'
import { findDubPeer } from './peers'
import { markdownTable, median, ms, pairedRatios, percentile, rotations } from './stats'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const runs = Number(process.env.AB_RUNS ?? 10)
// AB_THROTTLE=0: no CPU throttling; the thread CPU column then reads the code's own CPU cost.
const throttle = process.env.AB_THROTTLE !== '0'
const landings = (process.env.AB_LANDINGS ?? 'direct,partner,later').split(',') as Landing[]
const only = process.env.AB_ONLY?.split(',')
const dub = findDubPeer(root)
const log = (message: string): void => console.error(`[ab] ${message}`)

/** One exact text replacement in a source file (paths relative to the repository root). */
interface Edit {
  file: string
  from: string
  to: string
}

/** The prototypes: a name, what it changes, and the edits. */
const VARIANTS: { name: string; what: string; edits: Edit[]; sendsClick?: false }[] = [
  {
    name: 'no-url-cleanup',
    what: 'cleanUrl() does nothing (upper bound of any cheaper cleanup)',
    edits: [{ file: 'src/index.ts', from: 'function cleanUrl(): void {', to: 'function cleanUrl(): void {\n  return' }],
  },
  {
    name: 'later-url-cleanup',
    what: 'cleanUrl() runs in a setTimeout task after the landing (same work, another task, still measured)',
    edits: [
      {
        file: 'src/index.ts',
        from: 'function cleanUrl(): void {',
        to: 'function cleanUrl(): void {\n  setTimeout(cleanUrlNow)\n}\nfunction cleanUrlNow(): void {',
      },
    ],
  },
  {
    name: 'cheap-url-cleanup',
    what: 'cleanup without new URL(): string surgery on location.search, replaceState with a string',
    edits: [
      {
        file: 'src/landing.ts',
        from: `  const url = new URL(location.href)
  const query = dropParams(url.search, names)
  if (query == url.search.slice(1)) return
  // Setting \`search\` percent-encodes only what the URL parser already encoded in the query
  // (WHATWG URL, query percent-encode set), so the pairs left keep their exact spelling.
  url.search = query
  history.replaceState(history.state, '', url)`,
        to: `  const search = location.search
  const query = dropParams(search, names)
  if (query == search.slice(1)) return
  history.replaceState(history.state, '', location.pathname + (query && '?' + query) + location.hash)`,
      },
    ],
  },
  {
    name: 'no-stripe-setup',
    what: 'handOffToStripe() not called at init (no MutationObserver, querySelectorAll, 5 listeners)',
    edits: [
      {
        file: 'src/index.ts',
        from: 'if (options.stripe !== false) handOffToStripe(',
        to: 'if (options.stripe === 1 as never) handOffToStripe(',
      },
    ],
  },
  {
    name: 'no-outbound-setup',
    what: 'decorateOutbound() not called at init (4 capture listeners)',
    edits: [{ file: 'src/index.ts', from: '    decorateOutbound(() =>', to: '    0 && decorateOutbound(() =>' }],
  },
  {
    name: 'no-events',
    what: 'emit() dispatches nothing (no CustomEvent, no listener run)',
    edits: [
      { file: 'src/index.ts', from: '  dispatchEvent(new CustomEvent(type, { detail }))', to: '  void type, detail' },
    ],
  },
  {
    name: 'no-read-back',
    what: 'store() trusts its first write (no read-back / Domain probe): one sync cookie read less',
    edits: [
      {
        file: 'src/index.ts',
        from: '(writeCookie(CLICK_ID_COOKIE, clickId, candidate), readClickId() == clickId)',
        to: '(writeCookie(CLICK_ID_COOKIE, clickId, candidate), true)',
      },
    ],
  },
  {
    name: 'no-abort-timeout',
    what: 'fetch without AbortSignal.timeout',
    edits: [
      {
        file: 'src/click.ts',
        from: '    signal: AbortSignal.timeout?.(',
        to: '    signal: undefined && AbortSignal.timeout?.(',
      },
    ],
  },
  {
    name: 'no-throw-companions',
    what: 'reading an absent refp_pending / refp_partner returns without throwing a TypeError (two per later page today)',
    edits: [
      {
        file: 'packages/contract/src/companion.ts',
        from: String.raw`  const fields = new RegExp('(?:^|;)\\s*' + name + '=([^;\\s]*)').exec(cookieHeader)![1]!.split('|').map(decodeURIComponent)`,
        to: String.raw`  const found = new RegExp('(?:^|;)\\s*' + name + '=([^;\\s]*)').exec(cookieHeader)
  if (!found) throw 0
  const fields = found[1]!.split('|').map(decodeURIComponent)`,
      },
    ],
  },
  {
    name: 'deferred-setup',
    what: 'outbound + Stripe set-up moved after the landing is applied (same work, later in the task)',
    edits: [
      {
        file: 'src/index.ts',
        from: `    decorateOutbound(() => settings?.outboundDomains, () => consented() && readClickId())
    if (options.stripe !== false) handOffToStripe(() => consented() && readClickId())
    void applyLanding()`,
        to: `    void applyLanding()
    decorateOutbound(() => settings?.outboundDomains, () => consented() && readClickId())
    if (options.stripe !== false) handOffToStripe(() => consented() && readClickId())`,
      },
    ],
  },
  {
    name: 'top-level-only',
    what: 'init() returns at once: what is left is loading, compiling and running the file’s top level (bisection)',
    edits: [
      {
        file: 'src/index.ts',
        from: 'export function init(options: RefportOptions = {}): void {',
        to: 'export function init(options: RefportOptions = {}): void {\n  if (options) return',
      },
    ],
  },
  {
    name: 'no-apply-landing',
    what: 'init() sets up listeners and the observer but never applies the landing (bisection)',
    edits: [
      {
        file: 'src/index.ts',
        from: '    void applyLanding()\n  } catch {',
        to: '    0 && applyLanding()\n  } catch {',
      },
    ],
  },
  {
    name: 'landing-url-only',
    what: 'applyLanding() stops after reading the landing URL (bisection)',
    edits: [
      {
        file: 'src/index.ts',
        from: '    const linked = params.get(CLICK_ID_PARAM)\n',
        to: '    const linked = params.get(CLICK_ID_PARAM)\n    if (settings) return\n',
      },
    ],
  },
  {
    name: 'landing-until-cookie',
    what: 'applyLanding() stops after the one document.cookie read and the refp_id match (bisection)',
    edits: [
      {
        file: 'src/index.ts',
        from: '    const current = readClickIdCookie(jar)\n',
        to: '    const current = readClickIdCookie(jar)\n    if (settings) return\n',
      },
    ],
  },
  {
    name: 'landing-until-companions',
    what: 'applyLanding() stops before reading refp_pending and refp_partner (bisection)',
    edits: [
      {
        file: 'src/index.ts',
        from: '    const pending = readPendingClick(jar)\n',
        to: '    if (settings) return\n    const pending = readPendingClick(jar)\n',
      },
    ],
  },
  {
    name: 'companions-guarded',
    what: 'refp_pending / refp_partner parsed only when the jar contains their name (no RegExp, no exception when absent)',
    edits: [
      {
        file: 'src/index.ts',
        from: '    const pending = readPendingClick(jar)\n',
        to: "    const pending = jar.includes('refp_pending=') && readPendingClick(jar)\n",
      },
      {
        file: 'src/index.ts',
        from: '    const partner = readPagePartner(jar)\n',
        to: "    const partner = jar.includes('refp_partner=') && readPagePartner(jar)\n",
      },
    ],
  },
  {
    name: 'companions-regex-only',
    what: 'instead of reading the companions: only the two RegExps built and run on the jar, no exception (bisection)',
    edits: [
      {
        file: 'src/index.ts',
        from: '    const pending = readPendingClick(jar)\n',
        to: `${String.raw`    const pending = (new RegExp('(?:^|;)\s*refp_pending=([^;\s]*)').exec(jar), new RegExp('(?:^|;)\s*refp_partner=([^;\s]*)').exec(jar), null) as null`}\n`,
      },
      {
        file: 'src/index.ts',
        from: '    const partner = readPagePartner(jar)\n',
        to: "    const partner = jar.includes('refp_partner=') && readPagePartner(jar)\n",
      },
    ],
  },
  {
    name: 'companions-throw-only',
    what: 'instead of reading the companions: only two exceptions thrown and caught, no RegExp (bisection)',
    edits: [
      {
        file: 'src/index.ts',
        from: '    const pending = readPendingClick(jar)\n',
        to: '    const pending = (() => { try { throw 0 } catch {} try { throw 0 } catch {} return null })()\n',
      },
      {
        file: 'src/index.ts',
        from: '    const partner = readPagePartner(jar)\n',
        to: "    const partner = jar.includes('refp_partner=') && readPagePartner(jar)\n",
      },
    ],
  },
  {
    name: 'no-register',
    what: '?via=: the cookie and pending mark are written, the click is never sent (bisection: the request and its answer); done when the cookie is there',
    edits: [
      { file: 'src/index.ts', from: '      return register(key, clickId, current)', to: '      return void register' },
    ],
    sendsClick: false,
  },
  {
    name: 'send-only',
    what: '?via=: the click is sent but its answer is not used (no json, no cookie writes, no event); done when the cookie is there, the answer lands inside the settle time',
    edits: [
      {
        file: 'src/index.ts',
        from: '    // Consent revoked while in flight: the cookies are gone and must stay gone.\n',
        to: '    if (response) return\n',
      },
    ],
    sendsClick: false,
  },
  {
    name: 'no-keepalive',
    what: 'the click fetch without keepalive: true',
    edits: [{ file: 'src/click.ts', from: '    keepalive: true,', to: '' }],
  },
  {
    name: 'no-dataset',
    what: 'script tag: the two attributes the bench sets read with getAttribute, no dataset object and no spread of it (bisection)',
    edits: [
      {
        file: 'src/script.ts',
        from: '    const data = (document.currentScript as HTMLScriptElement | null)?.dataset || {}',
        to: "    const tag = document.currentScript!\n    const data: Record<string, string | undefined> = { publishableKey: tag.getAttribute('data-publishable-key')!, apiHost: tag.getAttribute('data-api-host')! }",
      },
    ],
  },
  {
    name: 'bare-script-tag',
    what: 'script tag that only calls init() with the two attributes: no window.refport, queue or dataset (bisection of the script-tag wrapper)',
    edits: [
      {
        file: 'src/script.ts',
        from: 'if (!page.refport?.getClickId) {',
        to: "init({ publishableKey: document.currentScript!.getAttribute('data-publishable-key')!, apiHost: document.currentScript!.getAttribute('data-api-host')! })\nif (0 as never) {",
      },
    ],
  },
  {
    name: 'lean-start',
    what: 'no-stripe-setup + no-outbound-setup + no-events + no-url-cleanup + companions-guarded together (what is left is the landing itself)',
    edits: [],
  },
]
// The combination: every edit of the variants it names.
VARIANTS.find((variant) => variant.name === 'lean-start')!.edits = [
  'no-stripe-setup',
  'no-outbound-setup',
  'no-events',
  'no-url-cleanup',
  'companions-guarded',
].flatMap((name) => VARIANTS.find((variant) => variant.name === name)!.edits)

const out = mkdtempSync(join(tmpdir(), 'refport-ab-'))
/** Builds the script tag from a copy of src/ and the contract with `edits` applied; returns its URL path. */
async function buildVariant(name: string, edits: Edit[]): Promise<string> {
  const copy = join(out, `${name}-src`)
  cpSync(join(root, 'src'), join(copy, 'src'), { recursive: true })
  cpSync(join(root, 'packages/contract/src'), join(copy, 'packages/contract/src'), { recursive: true })
  for (const edit of edits) {
    const path = join(copy, edit.file)
    const text = readFileSync(path, 'utf8')
    if (!text.includes(edit.from))
      throw new Error(`ab: variant ${name}: text not found in ${edit.file}: ${edit.from.slice(0, 80)}`)
    writeFileSync(path, text.replace(edit.from, edit.to))
  }
  const bundled = await build({
    entryPoints: [join(copy, 'src/script.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    define: { __REFPORT_DEBUG__: 'false' },
    alias: { '@refport/contract': join(copy, 'packages/contract/src/index.ts') },
    minifySyntax: true,
    logLevel: 'error',
  })
  // The terser options of tsup.config.ts's script build.
  const minified = await minify(bundled.outputFiles[0]!.text, {
    ecma: 2020,
    toplevel: true,
    compress: { passes: 3, hoist_funs: true, unsafe_arrows: true },
  })
  mkdirSync(join(out, 'files'), { recursive: true })
  writeFileSync(join(out, 'files', `${name}.js`), minified.code!)
  log(`built ${name}: ${minified.code!.length} B`)
  return `/ab/${name}.js`
}

const variants = VARIANTS.filter((variant) => !only || only.includes(variant.name))
const setups: (TrackerSetup & { what: string })[] = []
for (const variant of [
  { name: 'baseline', what: 'the sources as they are, built like the shipped script tag', edits: [] },
  ...variants,
]) {
  const [scriptTag] = trackerSetups(dub, { scriptTag: await buildVariant(variant.name, variant.edits) })
  setups.push({
    ...scriptTag!,
    name: `ours: ${variant.name}`,
    what: variant.what,
    ...('sendsClick' in variant && { sendsClick: variant.sendsClick }),
  })
}
const dubBase = dub.present ? trackerSetups(dub).find((setup) => setup.vendor === 'dub') : undefined
if (!dubBase) log(dub.present ? '' : dub.reason)
const rows = [...setups, ...(dubBase ? [{ ...dubBase, what: 'Dub’s base script as shipped' }] : [])]

const browser = await BrowserBench.start({ root, dub, folders: { '/ab/': join(out, 'files') } })
const report = [
  `# A/B: main-thread time of tracker variants (script tag), ${runs} interleaved rounds, ${throttle ? '4× throttling' : 'no throttling'}`,
]
console.log(`${report[0]}\n`)
try {
  for (const landing of landings) {
    log(`${landing}: ${rows.length} rows × ${runs} rounds`)
    const times = new Map(
      rows.map((row) => [row, { wall: [] as (number | undefined)[], cpu: [] as (number | undefined)[] }]),
    )
    for (const row of rows)
      await browser
        .visit(row, landing, { throttle })
        .catch((error: unknown) => log(`warm-up visit failed: ${String(error).split('\n')[0]}`))
    for (const round of rotations(rows, runs))
      for (const row of round) {
        let visit: Visit | undefined
        try {
          visit = (await browser.visit(row, landing, { throttle, trace: true })).landing
        } catch (error) {
          log(`a visit failed: ${String(error).split('\n')[0]}`)
        }
        times.get(row)!.wall.push(visit?.mainThreadMs)
        times.get(row)!.cpu.push(visit?.mainThreadCpuMs)
      }
    const baseline = times.get(setups[0]!)!
    const dubTimes = dubBase ? times.get(rows[rows.length - 1]!) : undefined
    const finite = (values: (number | undefined)[]): number[] =>
      values.filter((value): value is number => value !== undefined)
    const paired = (values: (number | undefined)[], base: (number | undefined)[] | undefined): string =>
      base ? `${median(pairedRatios(values, base)).toFixed(2)}×` : '–'
    const section = [
      `## ${landing} landing`,
      markdownTable(
        [
          'row',
          'what',
          'wall: median',
          'p90',
          'paired × baseline',
          'paired × Dub base',
          'thread CPU: median',
          'paired × baseline',
          'paired × Dub base',
          'CPU median − baseline',
        ],
        rows.map((row) => {
          const { wall, cpu } = times.get(row)!
          return [
            row.name,
            row.what,
            ms(median(finite(wall))),
            ms(percentile(finite(wall), 90)),
            paired(wall, baseline.wall),
            paired(wall, dubTimes?.wall),
            ms(median(finite(cpu))),
            paired(cpu, baseline.cpu),
            paired(cpu, dubTimes?.cpu),
            ms(median(finite(cpu)) - median(finite(baseline.cpu))),
          ]
        }),
      ),
    ]
    // Each landing as soon as it is done: a long run that fails later keeps what it measured.
    console.log(`${section.join('\n\n')}\n`)
    report.push(...section)
  }
} finally {
  await browser.close()
}
if (process.env.AB_OUT) writeFileSync(process.env.AB_OUT, `${report.join('\n\n')}\n`)
