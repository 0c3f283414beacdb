export default function HomePage() {
  return <h1 data-testid="page-home">Acme</h1>
}
