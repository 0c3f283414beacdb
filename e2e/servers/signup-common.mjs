// @ts-check
/**
 * What the Express and Hono sign-up backends share: a user table, the lead report and
 * the HTML. Each backend reads the click ID its own idiomatic way (that is what the specs
 * prove); from the click ID on, the flow is the same.
 */
import { randomUUID } from 'node:crypto'

/**
 * @typedef {object} SignUpOutcome
 * @property {'lead-recorded' | 'duplicate' | 'no-referral' | 'lead-failed'} status
 * @property {string} userId
 * @property {string | null} clickId
 * @property {string} [partner] partner credited by the API
 * @property {string} [error] why the lead was not recorded (the sign-up still succeeded)
 */

/** An in-memory user table: the same email signs up as the same user. */
export class Users {
  /** @type {Map<string, string>} */
  #ids = new Map()

  /** @param {string} email */
  idFor(email) {
    const key = email.trim().toLowerCase()
    let id = this.#ids.get(key)
    if (!id) {
      id = `user_${randomUUID()}`
      this.#ids.set(key, id)
    }
    return id
  }
}

/**
 * Creates (or finds) the user, then reports the lead when the request carried a click ID.
 * A failing Refport API never fails the sign-up: the outcome says what happened instead.
 * @param {{ track: { lead: (lead: import('refport').LeadRequest) => Promise<import('refport').LeadResponse> } }} refport
 * @param {Users} users
 * @param {{ clickId: string | null, email: string, name: string }} input
 * @returns {Promise<SignUpOutcome>}
 */
export async function signUp(refport, users, { clickId, email, name }) {
  const userId = users.idFor(email)
  if (!clickId) return { status: 'no-referral', userId, clickId }
  try {
    const { lead, duplicate } = await refport.track.lead({
      clickId,
      eventName: 'Sign Up',
      customerExternalId: userId,
      customerEmail: email,
      ...(name ? { customerName: name } : {}),
    })
    return { status: duplicate ? 'duplicate' : 'lead-recorded', userId, clickId, partner: lead.partner.key }
  } catch (error) {
    return { status: 'lead-failed', userId, clickId, error: error instanceof Error ? error.message : String(error) }
  }
}

/** @param {unknown} value */
export const escapeHtml = (value) => String(value ?? '').replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

/**
 * The sign-up form. It carries the script tag too: a visitor coming from another brand's
 * site arrives with `?refp_id=` and the tracker stores it here before the form is sent.
 * @param {{ brand: string, apiHost: string, publishableKey: string }} page
 */
export function signUpPage({ brand, apiHost, publishableKey }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>Sign up · ${escapeHtml(brand)}</title>
<script src="/refport.js" data-publishable-key="${escapeHtml(publishableKey)}" data-api-host="${escapeHtml(apiHost)}" defer></script>
</head>
<body>
<h1>Create your ${escapeHtml(brand)} account</h1>
<form method="post" action="/signup">
  <label>Email <input name="email" type="email" required></label>
  <label>Name <input name="name"></label>
  <button type="submit">Sign up</button>
</form>
</body>
</html>
`
}

const MESSAGES = {
  'lead-recorded': 'Lead recorded',
  duplicate: 'Already recorded: the Refport API deduplicated this lead',
  'no-referral': 'No referral cookie on this request: nothing to report',
  'lead-failed': 'Signed up, but the lead could not be reported',
}

/**
 * The page after sign-up. `#result` carries the outcome as data attributes for the specs.
 * @param {{ brand: string, outcome: SignUpOutcome, email: string }} page
 */
export function resultPage({ brand, outcome, email }) {
  const credited = outcome.partner ? ` — credited to partner <b>${escapeHtml(outcome.partner)}</b>` : ''
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>Welcome · ${escapeHtml(brand)}</title></head>
<body>
<h1>Welcome, ${escapeHtml(email)}</h1>
<p id="result" data-status="${outcome.status}" data-user-id="${escapeHtml(outcome.userId)}" data-click-id="${escapeHtml(outcome.clickId ?? '')}" data-partner="${escapeHtml(outcome.partner ?? '')}">
${MESSAGES[outcome.status]}${credited}${outcome.error ? `: ${escapeHtml(outcome.error)}` : ''}
</p>
</body>
</html>
`
}
