'use client'
import { useState } from 'react'
import { useRefport } from 'refport-js/react'
import { signUpAction, type SignUpResult } from '../actions'

/**
 * One form, two server paths: the submit button posts to a Server Action (cookie read with
 * `cookies()`), the second button to the `/api/sign-up` Route Handler (cookie read with
 * `getClickIdFromRequest`). The hidden field shows what `useRefport()` sees in the browser.
 */
export function SignUpForm() {
  const { clickId } = useRefport()
  const [result, setResult] = useState<(SignUpResult & { via: string }) | null>(null)

  async function signUpThroughRoute(form: HTMLFormElement) {
    const data = new FormData(form)
    const response = await fetch('/api/sign-up', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: data.get('email'), name: data.get('name') }),
    })
    setResult({ ...((await response.json()) as SignUpResult), via: 'route' })
  }

  return (
    <form action={async (data) => setResult({ ...(await signUpAction(data)), via: 'action' })}>
      <input type="hidden" name="clickId" data-testid="click-id" value={clickId ?? ''} />
      <p>
        Your click ID: <output data-testid="click-id-text">{clickId ?? 'none'}</output>
      </p>
      <input name="email" type="email" required placeholder="Email" data-testid="email" />
      <input name="name" placeholder="Name" data-testid="name" />
      <button type="submit" data-testid="sign-up-action">
        Sign up
      </button>
      <button
        type="button"
        data-testid="sign-up-route"
        onClick={(event) => signUpThroughRoute(event.currentTarget.form!)}
      >
        Sign up (API)
      </button>
      {result && (
        <dl data-testid="sign-up-result" data-via={result.via}>
          <dt>User</dt>
          <dd data-testid="user-id">{result.user.id}</dd>
          <dt>Click ID on the server</dt>
          <dd data-testid="server-click-id">{result.clickId ?? 'none'}</dd>
          <dt>Lead reported</dt>
          <dd data-testid="lead-tracked">{result.leadTracked ? 'yes' : 'no'}</dd>
        </dl>
      )}
    </form>
  )
}
