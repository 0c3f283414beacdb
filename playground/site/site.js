// Shows what the tracker stored: it announces each new click ID with a `refport:clickid` event.
const show = (clickId) => {
  const status = document.getElementById('referral')
  if (!clickId) return
  status.textContent = `Referral stored in the refp_id cookie: ${clickId}. Now sign up.`
  status.classList.add('ok')
}
addEventListener('refport:clickid', (event) => show(event.detail))
show(window.refport?.getClickId())
