// The option types under their former shared name still compile, for one release: each
// deprecated alias is the same type as its replacement, assignable both ways.
import type { RefportOptions as TrackerOptionsOldName, RefportTrackerOptions } from 'refport-js'
import type { RefportClientOptions, RefportOptions as ClientOptionsOldName } from 'refport'

const tracker: RefportTrackerOptions = { publishableKey: 'pk_live_123', consent: 'pending' }
const trackerOld: TrackerOptionsOldName = tracker
const trackerBack: RefportTrackerOptions = trackerOld

const client: RefportClientOptions = { apiKey: 'rp_test', timeoutMs: 3000 }
const clientOld: ClientOptionsOldName = client
const clientBack: RefportClientOptions = clientOld

// @ts-expect-error the tracker's options are not the server SDK's
const mixedUp: RefportClientOptions = { publishableKey: 'pk_live_123' }

void [trackerBack, clientBack, mixedUp]
