// Polls the mock Refport API's state and renders clicks, leads, sales and the credit per partner.
const api = document.body.dataset.api
const $ = (selector) => document.querySelector(selector)

const cell = (content, className) => {
  const td = document.createElement('td')
  if (content instanceof Node) td.append(content)
  else td.textContent = content
  if (className) td.className = className
  return td
}
const code = (text) => Object.assign(document.createElement('code'), { textContent: text })
const partner = (key) => Object.assign(document.createElement('span'), { className: 'partner', textContent: key })
const time = (iso) => new Date(iso).toLocaleTimeString()

// Amounts arrive in the currency's minor unit (cents for usd, yen for jpy): Intl knows how
// many decimals each currency has.
const money = (amount, currency) => {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency })
    return format.format(amount / 10 ** format.resolvedOptions().maximumFractionDigits)
  } catch {
    return `${amount} ${currency}` // a currency Intl does not know
  }
}
/** The revenue of `sales`, one amount per currency: "$98.00 + €20.00". */
const revenue = (sales) => {
  const totals = new Map()
  for (const sale of sales) totals.set(sale.currency, (totals.get(sale.currency) ?? 0) + sale.amount)
  return [...totals].map(([currency, amount]) => money(amount, currency)).join(' + ') || '—'
}

function fill(table, rows, columns, emptyText) {
  const row = (cells) => {
    const tr = document.createElement('tr')
    tr.append(...cells)
    return tr
  }
  const empty = Object.assign(cell(emptyText, 'empty'), { colSpan: columns.length })
  $(`${table} tbody`).replaceChildren(
    ...(rows.length ? rows.map((item) => row(columns.map((column) => cell(column(item))))) : [row([empty])]),
  )
}

function render({ clicks, leads, sales = [] }) {
  const keys = [
    ...new Set([
      ...clicks.map((click) => click.key),
      ...leads.map((lead) => lead.partner.key),
      ...sales.map((sale) => sale.partner.key),
    ]),
  ]
  const salesOf = (key) => sales.filter((sale) => sale.partner.key === key)
  fill(
    '#partners',
    keys,
    [
      (key) => partner(key),
      (key) => String(clicks.filter((click) => click.key === key).length),
      (key) => String(leads.filter((lead) => lead.partner.key === key).length),
      (key) => String(salesOf(key).length),
      (key) => revenue(salesOf(key)),
    ],
    'No partner traffic yet: open a ?via= link.',
  )
  fill(
    '#sales',
    [...sales].reverse(),
    [
      (sale) => time(sale.createdAt),
      // A sign-up's customer is known by the email of its lead; a direct buyer by its ID.
      (sale) =>
        leads.find((lead) => lead.customerExternalId === sale.customerExternalId)?.customerEmail ??
        sale.customerExternalId,
      (sale) => sale.eventName,
      (sale) => money(sale.amount, sale.currency),
      (sale) => code(sale.invoiceId ?? '—'),
      (sale) => partner(sale.partner.key),
    ],
    'No sales yet: buy something on the pricing page.',
  )
  fill(
    '#leads',
    [...leads].reverse(),
    [
      (lead) => time(lead.createdAt),
      (lead) => lead.customerEmail ?? lead.customerExternalId,
      (lead) => lead.eventName,
      (lead) => partner(lead.partner.key),
      (lead) => code(lead.clickId),
    ],
    'No sign-ups yet.',
  )
  fill(
    '#clicks',
    [...clicks].reverse(),
    [
      (click) => time(click.createdAt),
      (click) => partner(click.key),
      (click) => code(click.clickId),
      (click) => click.url,
    ],
    'No clicks yet.',
  )
}

async function refresh() {
  try {
    const response = await fetch(`${api}/__mock/state`, { cache: 'no-store' })
    render(await response.json())
    $('#status').textContent = `Updated ${new Date().toLocaleTimeString()} · refreshes every second`
  } catch {
    $('#status').textContent = 'The mock API does not answer: is `npm run playground` still running?'
  }
}

$('#reset').addEventListener('click', async () => {
  await fetch(`${api}/__mock/reset`, { method: 'POST' })
  refresh()
})
refresh()
setInterval(refresh, 1000)
