// Playground only: send Stripe Payment Links to the local Checkout stand-in instead of
// buy.stripe.com, which knows nothing of these test links. A bubbling listener on the
// document runs after the tracker's capturing one, so the URL carried over is the one the
// tracker decorated (client_reference_id included), exactly what Stripe would receive.
const checkout = document.currentScript.dataset.checkoutUrl
document.addEventListener('click', (event) => {
  const link = event.target.closest?.('a[href]')
  if (!link || event.defaultPrevented) return
  const url = new URL(link.href)
  if (url.hostname !== 'buy.stripe.com') return
  event.preventDefault()
  location.assign(`${checkout}/b${url.pathname}${url.search}`)
})
