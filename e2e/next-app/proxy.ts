import { refportProxy } from 'refport/next'

/**
 * The first-party landing middleware: a landing with ?via= is recorded server to server
 * (REFPORT_API_KEY / REFPORT_API_URL from the environment) and answered with a redirect to
 * the clean URL that sets refp_id; later page loads renew it. <RefportTracker /> in the
 * layout then finds a clean URL and a stored click, and sends nothing: one click per landing.
 */
export const proxy = refportProxy()

export const config = {
  // Pages only: no API routes, no build files, no metadata files. `/url` stays outside it:
  // that page proves what <RefportTracker /> does alone in the App Router (next-url-cleanup.spec.ts).
  matcher: ['/((?!api|url|_next/static|_next/image|favicon.ico|robots.txt|sitemap.xml).*)'],
}
