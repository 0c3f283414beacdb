export default function PricingPage() {
  return <h1 data-testid="page-pricing">Pricing</h1>
}
