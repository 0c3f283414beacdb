import { expect, test } from 'refport/playwright'

test('a partner gets the sign-up', async ({ page, refport }) => {
  await refport.landViaPartner(page, '/', 'jane')
  await page.getByLabel('Email').fill('ada@example.com')
  await page.getByRole('button', { name: 'Sign up' }).click()
  await refport.expectCredited({ partner: 'jane', event: 'Sign Up', customerEmail: 'ada@example.com' })
})

test('a visitor who came without a partner link credits no one', async ({ page, refport }) => {
  await page.goto('/')
  await page.getByLabel('Email').fill('bob@example.com')
  await page.getByRole('button', { name: 'Sign up' }).click()
  await page.getByRole('heading', { name: 'Welcome to Acme' }).waitFor()
  expect(refport.clicks()).toEqual([])
  expect(refport.leads()).toEqual([])
})
