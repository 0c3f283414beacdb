// Shows what the tracker stored. It announces each new click ID with a `refport:clickid`
// event, and the partner who referred the visitor (name, discount) with `refport:partner`;
// on later pages both are read back with window.refport.getClickId() / getPartner().
const show = (clickId) => {
  const status = document.getElementById('referral')
  if (!clickId || !status) return
  status.textContent = `Referral stored in the refp_id cookie: ${clickId}. Now sign up, or buy on the pricing page.`
  status.classList.add('ok')
}

/** "Jane sent you: 20% off for 3 months (code JANE20)". Text only: partner data is never markup. */
const offerText = (partner) => {
  const { discount } = partner
  if (!discount) return `${partner.name} sent you. Welcome!`
  const amount =
    discount.type === 'percentage' ? `${discount.amount}% off` : `$${(discount.amount / 100).toFixed(2)} off`
  const months = discount.durationMonths
    ? ` for ${discount.durationMonths} month${discount.durationMonths === 1 ? '' : 's'}`
    : ''
  return `${partner.name} sent you: ${amount}${months} (code ${discount.code})`
}
const showPartner = (partner) => {
  const offer = document.getElementById('offer')
  if (!offer) return
  offer.hidden = !partner
  if (partner) offer.textContent = offerText(partner)
}

addEventListener('refport:clickid', (event) => show(event.detail))
addEventListener('refport:partner', (event) => showPartner(event.detail))
show(window.refport?.getClickId())
showPartner(window.refport?.getPartner?.())
