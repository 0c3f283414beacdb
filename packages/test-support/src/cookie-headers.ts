/**
 * `Cookie` headers as real sites send them, with a `refp_id` among many other cookies: the
 * cookie-lookup benchmark measures on them, and the unit tests check that the lookup and a
 * full parse give the same answer on exactly these headers.
 */

/** The click ID stored in {@link realisticCookieHeaders}' `refp_id` cookies. */
export const HEADER_CLICK_ID = 'cl_9fQ2xK7mLp3RtV8wYz1B4c'

/** A typical marketing site's header, an 8 KB header with `refp_id` last, and one without it. */
export function realisticCookieHeaders(): { name: string; header: string }[] {
  // A typical marketing site: analytics, consent, session, then ours in the middle.
  const realistic = [
    '_ga=GA1.1.1234567890.1700000000',
    '_ga_ABC123DEF=GS1.1.1700000000.3.1.1700000100.0.0.0',
    '_gcl_au=1.1.987654321.1700000000',
    'cookieconsent_status=dismiss',
    `refp_id=${HEADER_CLICK_ID}`,
    'theme=dark',
    '__Host-session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    '_fbp=fb.1.1700000000000.1234567890',
  ].join('; ')
  // 8 KB: a header bloated by trackers, with ours last (the worst case for a scan).
  const filler = Array.from({ length: 140 }, (_, i) => `_trk_${i}=${'x'.repeat(48)}`).join('; ')
  const large = `${filler}; refp_id=${HEADER_CLICK_ID}`
  return [
    { name: 'realistic (8 cookies)', header: realistic },
    {
      name: '8 KB, refp_id last',
      header: `${large.slice(0, 8192 - HEADER_CLICK_ID.length - 10)}; refp_id=${HEADER_CLICK_ID}`,
    },
    { name: '8 KB, no refp_id', header: filler.slice(0, 8192) },
  ]
}
