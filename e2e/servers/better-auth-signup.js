// Sign-up form of the Better Auth app: a JSON POST to Better Auth's email sign-up endpoint.
// Served as a file, not inline, so the page would also work under a strict CSP.
document.getElementById('signup').addEventListener('submit', async (event) => {
  event.preventDefault()
  const form = new FormData(event.target)
  const result = document.getElementById('result')
  const response = await fetch('/api/auth/sign-up/email', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: form.get('email'), name: form.get('name'), password: form.get('password') }),
  })
  const body = await response.json().catch(() => ({}))
  result.dataset.status = response.ok ? 'signed-up' : 'failed'
  result.dataset.userId = body.user?.id ?? ''
  result.textContent = response.ok
    ? `Signed up as ${body.user.email}`
    : `Sign-up failed: ${body.message ?? response.status}`
  // Checkout, where the app offers it, is for a signed-in user.
  if (response.ok) document.getElementById('buy')?.removeAttribute('hidden')
})
