import { CLICK_ID_PARAM } from '@refport/contract'

/** True when `host` is listed, exactly or under a `*.` wildcard (subdomains only, not the apex). */
const isOutbound = (host: string, patterns: string[]): boolean =>
  patterns.some((pattern) => pattern == host || (pattern[0] == '*' && host.endsWith(pattern.slice(1))))

/**
 * Adds `?refp_id=` to links and forms that lead to `patterns` hosts, at the moment the
 * visitor follows them. Listening on the document (capture phase, before the default
 * action) covers links added after load without polling the DOM or patching history.
 * `auxclick` and `contextmenu` cover middle-click and "open in new tab".
 */
export function decorateOutbound(patterns: string[], getClickId: () => string | null): void {
  patterns = patterns.map((pattern) => pattern.toLowerCase())
  const onNavigate = (event: Event): void => {
    try {
      const element = (event.target as Element).closest('a[href],area[href],form') as HTMLAnchorElement & HTMLFormElement
      const isForm = element.tagName == 'FORM'
      const clickId = isForm == (event.type == 'submit') && getClickId()
      if (!clickId) return
      const url = new URL(isForm ? element.action : element.href)
      if (!isOutbound(url.hostname, patterns)) return
      url.searchParams.set(CLICK_ID_PARAM, clickId)
      if (!isForm) element.href = url.href
      // A GET form replaces the action's query with its fields: carry the ID as a field.
      else if (element.method == 'get') element.append(Object.assign(document.createElement('input'), { type: 'hidden', name: CLICK_ID_PARAM, value: clickId }))
      else element.action = url.href
    } catch {
      // A detached target, an unparsable href or a read-only attribute: leave the navigation alone.
    }
  }
  ;['click', 'auxclick', 'contextmenu', 'submit'].forEach((type) => document.addEventListener(type, onNavigate, true))
}
