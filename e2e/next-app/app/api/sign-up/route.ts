import { type NextRequest, NextResponse } from 'next/server'
import { getClickIdFromRequest } from 'refport'
import { refport } from '../../../lib/refport'
import { yourAuthProvider } from '../../../lib/users'

/** Route Handler: the JSON sign-up, reading the click ID with `getClickIdFromRequest`. */
export async function POST(request: NextRequest) {
  const body = (await request.json()) as { email: string; name?: string }
  const user = await yourAuthProvider.createUser(body)
  const clickId = getClickIdFromRequest(request)
  let leadTracked = false
  try {
    if (clickId) {
      await refport.track.lead({
        clickId,
        eventName: 'Sign Up',
        customerExternalId: user.id,
        customerEmail: user.email,
        customerName: user.name,
      })
      leadTracked = true
    }
  } catch {
    // Tracking must never fail a sign-up.
  }
  return NextResponse.json({ user, clickId, leadTracked })
}
