// `import type {} from 'refport-js/global'` types the script tag's window.refport.
import type {} from 'refport-js/global'
import type { PagePartner, RefportGlobal } from 'refport-js'

const clickId: string | null | undefined = window.refport?.getClickId()
const partner: PagePartner | null | undefined = window.refport?.getPartner()
window.refport?.grantConsent()
window.refport?.revokeConsent()
window.refport?.init({ publishableKey: 'pk_live_123', consent: 'pending' })
// The by-name form the queueing stub records.
const byName: string | null | undefined = window.refport?.('getClickId')
window.refport?.('grantConsent')
const tracker: RefportGlobal | undefined = window.refport
// @ts-expect-error an unknown method is not part of the type
window.refport?.track()
// @ts-expect-error the global may be missing until the script has loaded
window.refport.getClickId()
console.log(clickId, partner, byName, tracker)
