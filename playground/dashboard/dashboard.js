// Polls the mock Refport API's state and renders clicks, leads and the credit per partner.
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

function render({ clicks, leads }) {
  const keys = [...new Set([...clicks.map((click) => click.key), ...leads.map((lead) => lead.partner.key)])]
  fill('#partners', keys, [
    (key) => partner(key),
    (key) => String(clicks.filter((click) => click.key == key).length),
    (key) => String(leads.filter((lead) => lead.partner.key == key).length),
  ], 'No partner traffic yet: open a ?via= link.')
  fill('#leads', [...leads].reverse(), [
    (lead) => time(lead.createdAt),
    (lead) => lead.customerEmail ?? lead.customerExternalId,
    (lead) => lead.eventName,
    (lead) => partner(lead.partner.key),
    (lead) => code(lead.clickId),
  ], 'No sign-ups yet.')
  fill('#clicks', [...clicks].reverse(), [
    (click) => time(click.createdAt),
    (click) => partner(click.key),
    (click) => code(click.clickId),
    (click) => click.url,
  ], 'No clicks yet.')
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
