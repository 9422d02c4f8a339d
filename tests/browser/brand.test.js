// Brand settings (owners): name, currency and default language.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertClean, launch, screenshots, signIn, signUpBrand } from './helpers.js';

describe('brand settings', () => {
  let browser;
  let brand;

  before(async () => {
    brand = await signUpBrand('Kopi Merek');
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  test('a blank name is refused inline and the chosen currency is kept', async () => {
    const { page, problems } = browser;
    await page.click('nav a[href="/admin/brand"]');
    await page.waitForURL('**/admin/brand');
    assert.equal(await page.inputValue('#f-currency'), 'IDR');
    assert.match(await page.textContent('#f-currency option[value=IDR]'), /Rp 25\.000/);
    await page.fill('#f-name', '   ');
    await page.selectOption('#f-currency', 'SGD');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('form.form button[type=submit]'),
    ]);
    assert.equal(res.status(), 422);
    await page.waitForSelector('#name-error');
    assert.match(await page.textContent('#name-error'), /Wajib diisi/);
    assert.equal(await page.inputValue('#f-currency'), 'SGD');
    await screenshots(page, 'brand-settings-error');
    assertClean(problems);
  });

  test('saving renames the brand everywhere and changes its currency', async () => {
    const { page } = browser;
    await page.fill('#f-name', 'Kopi Merek Baru');
    await page.click('form.form button[type=submit]');
    await page.waitForSelector('.notice');
    assert.equal(await page.textContent('.notice'), 'Pengaturan brand disimpan.');
    assert.equal(await page.textContent('header .brand'), 'Kopi Merek Baru');
    const { json } = await api('GET', '/brand', { token: brand.token });
    assert.equal(json.name, 'Kopi Merek Baru');
    assert.equal(json.currency, 'SGD');
  });
});
