import { CLICK_ID_PARAM } from '@refport/contract'
import { dropParams } from './params'

/**
 * True when `host` is listed, exactly or under a `*.` wildcard (subdomains only, not the
 * apex; a bare `*` matches nothing, so the click ID never leaks to every host). `host` is
 * that of an http(s) URL, never empty, so an empty entry (`data-outbound-domains=""`, a
 * trailing comma, an unset env var) matches nothing.
 */
const isOutbound = (host: string, patterns: string[]): boolean =>
  patterns.some((pattern) => {
    // Host names are case-insensitive and `URL.hostname` is always lowercase.
    pattern = pattern.toLowerCase()
    return pattern == host || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)))
  })

/**
 * Adds `?refp_id=` to links and forms that lead to `patterns` hosts, at the moment the
 * visitor follows them. Listening on the document (capture phase, before the default
 * action) covers links added after load without polling the DOM or patching history.
 * `auxclick` and `contextmenu` cover middle-click and "open in new tab".
 *
 * The tracker owns `refp_id` on links to these hosts: it is set when there is a click ID
 * (and consent), and removed otherwise, so revoking consent also cleans a link that was
 * decorated earlier and followed later.
 */
export function decorateOutbound(
  getPatterns: () => string[] | undefined,
  getClickId: () => string | null | false,
): void {
  const onNavigate = (event: Event): void => {
    try {
      // Any of these events inside a form happens before it is submitted, so decorating
      // the form on a click in it is as good as on submit. The composed path, not
      // `event.target`: at the document a click inside a shadow root (a design system's
      // <x-button href>) is retargeted to its host, outside the link (DOM Standard,
      // "retarget"); the path still lists every element from the one clicked up.
      const element = event
        .composedPath()
        .find((node) => (node as Element).matches?.('a,area,form')) as HTMLAnchorElement &
        HTMLFormElement &
        Record<string, HTMLInputElement>
      // Links and areas have `href`; forms have `action` instead.
      const attribute = 'href' in element ? 'href' : 'action'
      const url = new URL(element[attribute])
      // Only web links: `javascript://app.acme.io/%0A…` has that host too (WHATWG URL), and a
      // query appended to it would be script text; `mailto:` and `tel:` have an empty host.
      if (!/^https?:/.test(url.href) || !isOutbound(url.hostname, getPatterns() || [])) return
      const clickId = getClickId()
      url.search = [dropParams(url.search, [CLICK_ID_PARAM]), clickId && CLICK_ID_PARAM + '=' + clickId]
        .filter(Boolean)
        .join('&')
      element[attribute] = url.href
      // A GET form replaces the action's query with its fields: carry the ID as a field.
      let field = element[CLICK_ID_PARAM]
      if (element.method == 'get') {
        if (!clickId) return field?.remove()
        field ||= element.appendChild(
          Object.assign(document.createElement('input'), { type: 'hidden', name: CLICK_ID_PARAM }),
        )
        field.value = clickId
      }
    } catch {
      // No link or form, an unparsable URL or a read-only attribute: leave the navigation alone.
    }
  }
  ;['click', 'auxclick', 'contextmenu', 'submit'].forEach((type) => document.addEventListener(type, onNavigate, true))
}
