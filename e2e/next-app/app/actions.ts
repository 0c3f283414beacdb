'use server'
import { cookies } from 'next/headers'
import { refport } from '../lib/refport'
import { yourAuthProvider, type User } from '../lib/users'

/** What the sign-up page shows: the user, and whether a lead was reported for them. */
export interface SignUpResult {
  user: User
  clickId: string | null
  leadTracked: boolean
}

/** Server Action: signs the visitor up and reports the lead with the click ID from the `refp_id` cookie. */
export async function signUpAction(formData: FormData): Promise<SignUpResult> {
  const user = await yourAuthProvider.createUser({
    email: formData.get('email') as string,
    name: formData.get('name') as string,
  })
  let clickId: string | null = null
  let leadTracked = false
  try {
    const cookieStore = await cookies()
    clickId = cookieStore.get('refp_id')?.value ?? null
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
  return { user, clickId, leadTracked }
}
