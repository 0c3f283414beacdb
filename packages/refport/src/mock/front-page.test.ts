import { afterEach, describe, expect, it } from 'vitest'
import { startMockRefportApi, type MockRefportApi } from '../testing'

let mock: MockRefportApi | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

describe('GET / (someone opening the mock in a browser)', () => {
  it('answers 200 with what the mock is, its endpoints, its partners and what it recorded', async () => {
    mock = await startMockRefportApi({ partners: { jane: { name: 'Jane' } } })
    const response = await fetch(`${mock.url}/`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const body = await response.json()
    expect(body.name).toBe('refport mock API')
    expect(Object.keys(body.endpoints)).toEqual(
      expect.arrayContaining([
        'POST /track/click',
        'POST /track/lead',
        'POST /track/sale',
        'GET /__mock/state',
        'POST /__mock/reset',
      ]),
    )
    expect(body.partners).toEqual([{ key: 'jane', name: 'Jane', avatarUrl: null, discount: null }])
    expect(body.recorded).toEqual({ clicks: 0, leads: 0, sales: 0 })
  })

  it('says any key is accepted when no partner list is configured', async () => {
    mock = await startMockRefportApi()
    const body = await (await fetch(`${mock.url}/`)).json()
    expect(body.partners).toMatch(/any well-formed key/)
  })

  it('other unknown paths still answer 404 with the list of routes', async () => {
    mock = await startMockRefportApi()
    const response = await fetch(`${mock.url}/nope`)
    expect(response.status).toBe(404)
    expect((await response.json()).error.message).toMatch(/no route \/nope/)
  })
})
