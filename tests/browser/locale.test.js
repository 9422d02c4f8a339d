// The language switch: Indonesian by default, English on request, stored
// per user (it survives signing out and in).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClean, launch, screenshots, signIn, signUpBrand } from './helpers.js';

describe('language', () => {
  let browser;
  let brand;

  before(async () => {
    brand = await signUpBrand('Kopi Bahasa');
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  test('Indonesian by default, English after the switch, on every page', async () => {
    const { page, problems } = browser;
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    assert.equal(await page.textContent('nav a[href="/admin/staff"]'), 'Staf');
    await page.goto('/admin/staff');
    await Promise.all([
      page.waitForURL('**/admin/staff'),
      page.click('header form.lang button[value=en]'),
    ]);
    await page.waitForSelector('html[lang=en]');
    assert.equal(await page.textContent('h1'), 'Staff', 'back on the same page');
    assert.equal(await page.textContent('nav a[href="/admin"]'), 'Dashboard');
    await page.goto('/admin');
    assert.match(await page.textContent('h1'), /^Welcome, Ibu Pemilik/);
    await screenshots(page, 'dashboard-english');
    assertClean(problems);
  });

  test('the choice is stored for the user', async () => {
    const { page } = browser;
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/admin/login'),
      page.click('header button.link'),
    ]);
    await signIn(page, brand.email);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.click('header form.lang button[value=id]');
    await page.waitForSelector('html[lang=id]');
    assert.match(await page.textContent('h1'), /^Selamat datang/);
  });
});
