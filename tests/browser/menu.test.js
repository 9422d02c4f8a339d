// The menu: categories (create, station, reorder, delete refused while
// not empty), listed closed and fetching their items when opened (a link
// without JavaScript), a search across them, an item with a photo and a
// modifier group typed into the admin, inline validation errors that keep
// what was typed, markup shown as text, and the per-outlet availability
// and price grid (one click 86es an item at one outlet only; "until the
// end of the day" shows when it comes back; the outlet's own price).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertClean, createOutlet, htmxSettled, launch, screenshots, signIn, signUpBrand, solidPng, uniqueEmail,
} from './helpers.js';

describe('menu', () => {
  let browser;
  let brand;
  let kemang;
  let blokM;

  before(async () => {
    brand = await signUpBrand('Kopi Menu');
    kemang = await createOutlet(brand, 'Kopi Menu Kemang');
    blokM = await createOutlet(brand, 'Kopi Menu Blok M');
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  const section = (page, name) => page.locator('section.category', { has: page.locator('h2', { hasText: name }) });

  /** Opens a category (its items and edit form load then), unless the page shows it open already. */
  async function openCategory(page, name) {
    const s = section(page, name);
    if (!(await s.locator('details.category-items').evaluate((d) => d.open))) {
      await s.locator('details.category-items > summary').click();
    }
    await s.locator('.category-body:not(.lazy)').waitFor();
    return s;
  }

  async function createCategory(page, name, station) {
    await page.fill('#f-category-name', name);
    await page.fill('#f-category-station', station);
    await page.click('#category-form button[type=submit]');
    await page.waitForSelector('.notice');
    assert.equal(await page.textContent('.notice'), 'Kategori dibuat.');
  }

  async function menuItems() {
    const { json } = await api('GET', '/menu-items', { token: brand.token });
    return json.items;
  }

  test('an owner creates categories with a kitchen station and reorders them', async () => {
    const { page, problems } = browser;
    await page.click('nav a[href="/admin/menu"]');
    await page.waitForURL('**/admin/menu');
    assert.match(await page.textContent('main'), /Belum ada kategori/);
    await createCategory(page, 'Minuman', 'Bar');
    await createCategory(page, 'Makanan', 'kitchen');
    const names = () => page.locator('section.category h2').allTextContents();
    // The second category's row arrives by an htmx swap: wait for it, not for time.
    await page.waitForFunction(() => document.querySelectorAll('section.category h2').length === 2);
    assert.deepEqual(await names(), ['Minuman', 'Makanan']);
    assert.equal(await section(page, 'Minuman').locator('.badge.station').textContent(), 'bar');

    await section(page, 'Makanan').locator('button[value=up]').click();
    await page.waitForFunction(() => document.querySelector('section.category h2')?.textContent === 'Makanan');
    assert.equal(await page.textContent('.notice'), 'Kategori disimpan.');
    assert.deepEqual(await names(), ['Makanan', 'Minuman']);
    await section(page, 'Makanan').locator('button[value=down]').click();
    await page.waitForFunction(() => document.querySelector('section.category h2')?.textContent === 'Minuman');
    const { json } = await api('GET', '/categories', { token: brand.token });
    assert.deepEqual(json.map((c) => [c.name, c.station]), [['Minuman', 'bar'], ['Makanan', 'kitchen']]);

    // The domain's own check (a name used twice) comes back inline.
    await page.fill('#f-category-name', 'Minuman');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('#category-form button[type=submit]'),
    ]);
    assert.equal(res.status(), 422);
    assert.match(await page.textContent('#new-category .field-errors'), /kategori lain sudah memakai nama ini/i);
    assert.equal(await page.inputValue('#f-category-name'), 'Minuman');

    // A refused edit comes back with its category open and the message by the field.
    const makanan = await openCategory(page, 'Makanan');
    await makanan.locator('details.edit summary').click();
    await makanan.locator('.category-form input[name=name]').fill('Minuman');
    const [edit] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      makanan.locator('.category-form button[type=submit]').click(),
    ]);
    assert.equal(edit.status(), 422);
    const errors = section(page, 'Makanan').locator('.category-form .field-errors');
    await errors.waitFor();
    assert.match(await errors.textContent(), /kategori lain sudah memakai nama ini/i);
    assert.equal(await section(page, 'Makanan').locator('.category-form input[name=name]').inputValue(), 'Minuman');
    assert.equal(await section(page, 'Minuman').locator('details.category-items').evaluate((d) => d.open), false);
    assertClean(problems);
  });

  test('an item with a photo and a modifier group is created through the form', async () => {
    const { page, problems } = browser;
    await page.goto('/admin/menu');
    await (await openCategory(page, 'Minuman')).locator('a', { hasText: 'Tambah menu' }).click();
    await page.waitForSelector('#item-form');
    assert.equal(await page.$eval('#f-category', (s) => s.selectedOptions[0].textContent), 'Minuman');
    await page.fill('#f-name', 'Es Kopi Susu');
    await page.fill('#f-description', 'Kopi, susu segar, gula aren');
    await page.fill('#f-price', '25.000');
    await page.setInputFiles('#f-image', { name: 'kopi.png', mimeType: 'image/png', buffer: solidPng() });
    await page.waitForFunction(() => document.querySelector('#image-preview')?.src.startsWith('data:image/png'));
    assert.equal(await page.isVisible('#image-preview'), true, 'the photo is previewed before upload');

    await page.evaluate(() => { window.__samePage = true; });
    await page.click('button[data-rows=add-group]');
    const group = page.locator('fieldset.group').first();
    await group.locator('input[name$="].name"]').first().fill('Ukuran');
    await group.locator('input[name$="].min"]').fill('1');
    await group.locator('input[name$="].max"]').fill('1');
    await group.locator('.option-row input[name$="].name"]').nth(0).fill('Reguler');
    await group.locator('button[data-rows=add-option]').click();
    await group.locator('.option-row input[name$="].name"]').nth(1).fill('Besar');
    await group.locator('.option-row input[name$="].price"]').nth(1).fill('5.000');
    await group.locator('button[data-rows=add-option]').click();
    await group.locator('.option-row input[name$="].name"]').nth(2).fill('Jumbo');
    await group.locator('.option-row button[data-rows=remove-option]').nth(2).click();
    assert.equal(await group.locator('.option-row').count(), 2, 'an option row is removed in place');
    assert.equal(await page.evaluate(() => window.__samePage), true, 'rows change without a page load');
    await screenshots(page, 'menu-item-form');

    await page.click('#save-item');
    await page.waitForSelector('.notice');
    assert.equal(await page.textContent('.notice'), 'Menu dibuat.');
    // Back on the menu with the item's category open.
    const line = section(page, 'Minuman').locator('li.item', { hasText: 'Es Kopi Susu' });
    assert.match(await line.textContent(), /Rp 25\.000/);
    assert.match(await line.textContent(), /1 grup pilihan/);
    assert.match(await line.locator('img.thumb').getAttribute('src'), /^\/media\//);

    const item = (await menuItems()).find((i) => i.name === 'Es Kopi Susu');
    assert.equal(item.price_minor, 25000);
    assert.equal(item.description, 'Kopi, susu segar, gula aren');
    assert.match(item.image_url, /^\/media\/.+\.png$/);
    assert.equal(item.modifier_groups.length, 1);
    const [g] = item.modifier_groups;
    assert.deepEqual([g.name, g.min, g.max], ['Ukuran', 1, 1]);
    assert.deepEqual(g.options.map((o) => [o.name, o.price_minor]), [['Reguler', 0], ['Besar', 5000]]);
    const photo = await page.request.get(item.image_url);
    assert.equal(photo.status(), 200);

    // Editing shows what was saved, the photo included.
    await line.locator('a.item-name').click();
    await page.waitForSelector('#item-form');
    assert.equal(await page.inputValue('#f-price'), '25000');
    assert.equal(await page.getAttribute('#image-preview', 'src'), item.image_url);
    assert.equal(await page.inputValue('[name="modifier_groups[0].options[1].price"]'), '5000');
    await screenshots(page, 'menu-item-edit');
    assertClean(problems);
  });

  test('validation errors show next to their field and keep what was typed', async () => {
    const { page, problems } = browser;
    await page.goto('/admin/menu/items/new');
    await page.selectOption('#f-category', { label: 'Minuman' });
    await page.fill('#f-name', 'Teh Tarik');
    await page.fill('#f-price', '12abc');
    await page.click('button[data-rows=add-group]');
    const group = page.locator('fieldset.group').first();
    await group.locator('input[name$="].name"]').first().fill('Gula');
    await group.locator('input[name$="].min"]').fill('2');
    await group.locator('input[name$="].max"]').fill('1');
    await group.locator('.option-row input[name$="].name"]').first().fill('Normal');

    // The admin's own check: the amount.
    const [first] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('#save-item'),
    ]);
    assert.equal(first.status(), 422);
    await page.waitForSelector('#price-error');
    assert.match(await page.textContent('#price-error'), /jumlah uang/);
    assert.equal(await page.getAttribute('#f-price', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#f-name'), 'Teh Tarik');
    assert.equal(await page.inputValue('#f-price'), '12abc');
    assert.equal(await page.inputValue('[name="modifier_groups[0].name"]'), 'Gula');
    assert.equal(await page.inputValue('[name="modifier_groups[0].min"]'), '2');
    assert.equal(await page.inputValue('[name="modifier_groups[0].options[0].name"]'), 'Normal');

    // The domain's check, under the group's path (modifier_groups[0].min).
    await page.fill('#f-price', '12.000');
    const [second] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('#save-item'),
    ]);
    assert.equal(second.status(), 422);
    const minError = page.locator('[id="modifier_groups[0].min-error"]');
    await minError.waitFor();
    assert.match(await minError.textContent(), /tidak boleh lebih dari maksimum/i);
    assert.equal(await page.getAttribute('[name="modifier_groups[0].min"]', 'aria-invalid'), 'true');
    assert.equal(await page.locator('#price-error').count(), 0);
    assert.equal(await page.inputValue('#f-price'), '12.000');
    assert.equal(await page.inputValue('[name="modifier_groups[0].name"]'), 'Gula');
    await screenshots(page, 'menu-item-errors');

    await page.fill('[name="modifier_groups[0].min"]', '1');
    await page.click('#save-item');
    await page.waitForSelector('.notice');
    const item = (await menuItems()).find((i) => i.name === 'Teh Tarik');
    assert.equal(item.price_minor, 12000);
    assert.deepEqual(item.modifier_groups.map((g) => [g.name, g.min, g.max]), [['Gula', 1, 1]]);
    assertClean(problems);
  });

  test('a category lists its items when opened; a search finds items in closed ones', async () => {
    const { page, problems } = browser;
    await page.goto('/admin/menu');
    const minuman = section(page, 'Minuman');
    assert.equal(await page.locator('li.item').count(), 0, 'categories start closed, their items not fetched');
    assert.equal(await minuman.locator('details.category-items > summary').textContent(), '2 menu');
    const [res] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/items')),
      minuman.locator('details.category-items > summary').click(),
    ]);
    assert.equal(res.status(), 200);
    await minuman.locator('.category-body:not(.lazy)').waitFor();
    assert.deepEqual(await minuman.locator('li.item .item-name').allTextContents(), ['Es Kopi Susu', 'Teh Tarik']);
    assert.match(await minuman.locator('li.item', { hasText: 'Teh Tarik' }).textContent(), /Rp 12\.000/);
    assert.equal(await section(page, 'Makanan').locator('li.item').count(), 0, 'the other category stays closed');
    // Closed and opened again: shown as fetched, not fetched again.
    let fetches = 0;
    const count = (r) => { if (new URL(r.url()).pathname.endsWith('/items')) fetches += 1; };
    page.on('request', count);
    await minuman.locator('details.category-items > summary').click();
    await minuman.locator('details.category-items > summary').click();
    await htmxSettled(page);
    page.off('request', count);
    assert.equal(fetches, 0);
    assert.equal(await minuman.locator('li.item').count(), 2);

    await page.fill('#menu-q', 'tarik');
    await page.click('form.menu-search button');
    await page.waitForSelector('#search-results');
    const found = page.locator('#search-results li.item');
    assert.deepEqual(await found.locator('.item-name').allTextContents(), ['Teh Tarik']);
    await Promise.all([page.waitForURL(/open=/), found.locator('a.item-category', { hasText: 'Minuman' }).click()]);
    await section(page, 'Minuman').locator('li.item', { hasText: 'Es Kopi Susu' }).waitFor();
    assert.equal(await page.locator('#search-results').count(), 0);
    await screenshots(page, 'menu-open-category');

    // Without JavaScript a link in the opened category shows it open.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
    try {
      await page.goto('/admin/menu');
      const closed = section(page, 'Minuman');
      await closed.locator('details.category-items > summary').click();
      await Promise.all([page.waitForURL(/open=/), closed.locator('a', { hasText: 'Tampilkan menu' }).click()]);
      assert.deepEqual(await section(page, 'Minuman').locator('li.item .item-name').allTextContents(),
        ['Es Kopi Susu', 'Teh Tarik']);
    } finally {
      await cdp.send('Emulation.setScriptExecutionDisabled', { value: false });
      await cdp.detach();
    }
    assertClean(problems);
  });

  test('a category with items cannot be deleted; the reason shows inline', async () => {
    const { page, problems } = browser;
    await page.goto('/admin/menu');
    const minuman = await openCategory(page, 'Minuman');
    await minuman.locator('details.edit summary').click();
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      minuman.locator('button.danger').click(),
    ]);
    assert.equal(res.status(), 409);
    await page.waitForSelector('section.category .alert');
    assert.match(await section(page, 'Minuman').locator('.alert').textContent(), /masih berisi menu/);

    const makanan = await openCategory(page, 'Makanan');
    await makanan.locator('details.edit summary').click();
    await makanan.locator('button.danger').click();
    await page.waitForSelector('.notice');
    assert.equal(await page.textContent('.notice'), 'Kategori dihapus.');
    assert.equal(await section(page, 'Makanan').count(), 0);
    await screenshots(page, 'menu');
    assertClean(problems);
  });

  test('markup in an item name is shown as text and never runs', async () => {
    const { page, problems } = browser;
    const evil = '<script>alert(1)</script>';
    await page.goto('/admin/menu/items/new');
    await page.fill('#f-name', evil);
    await page.fill('#f-description', '<img src=x onerror=alert(2)>');
    await page.fill('#f-price', '1000');
    await page.click('#save-item');
    await page.waitForSelector('.notice');
    const name = (await openCategory(page, 'Minuman')).locator('li.item a.item-name', { hasText: evil });
    assert.equal(await name.count(), 1);
    assert.equal(await name.textContent(), evil);
    assert.equal(await page.locator('img[src=x]').count(), 0);
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.textContent).join(''));
    assert.ok(!scripts.includes('alert('), 'no injected script element');
    assertClean(problems);
  });

  test('one click 86es an item at one outlet only; the outlet price overrides the brand price', async () => {
    const { page, problems } = browser;
    const item = (await menuItems()).find((i) => i.name === 'Es Kopi Susu');
    const teh = (await menuItems()).find((i) => i.name === 'Teh Tarik');
    await page.goto('/admin/menu');
    await page.click(`a.chip[href="/admin/outlets/${kemang.id}/availability"]`);
    await page.waitForSelector('table.availability');
    const rowSel = `#avail-${item.id}`;
    assert.equal(await page.textContent(`${rowSel} button.toggle`), 'Tersedia');
    await page.evaluate(() => { window.__samePage = true; });

    await page.click(`${rowSel} button.toggle`);
    await page.waitForSelector(`${rowSel} button.toggle.off`);
    assert.equal(await page.textContent(`${rowSel} button.toggle`), 'Habis');
    assert.match(await page.textContent(`${rowSel} .back`), /Sampai dinyalakan lagi/);
    assert.equal(await page.evaluate(() => window.__samePage), true, 'the row is swapped in place');
    await htmxSettled(page);

    const menuOf = async (outlet) => (await api('GET', `/outlets/${outlet.id}/menu`, { token: brand.token })).json;
    const find = (menu, id) => menu.categories.flatMap((c) => c.items).find((i) => i.id === id);
    assert.equal(find(await menuOf(kemang), item.id).available, false);
    assert.equal(find(await menuOf(blokM), item.id).available, true, 'the other outlet still sells it');

    // Until the end of the day: back at the outlet's midnight (Asia/Jakarta).
    await page.selectOption(`#avail-${teh.id} select.until`, 'eod');
    await page.click(`#avail-${teh.id} button.toggle`);
    await page.waitForSelector(`#avail-${teh.id} button.toggle.off`);
    assert.match(await page.textContent(`#avail-${teh.id} .back`), /Tersedia lagi pukul 00:00/);
    const until = find(await menuOf(kemang), teh.id).unavailable_until;
    assert.ok(until, 'a timed 86');
    assert.equal(new Date(until).getUTCHours(), 17, 'midnight in Jakarta is 17:00 UTC');

    // The outlet's own price; empty returns to the brand price.
    await page.fill(`#price-${item.id}`, '20.000');
    await page.click(`${rowSel} .price-form button`);
    await page.waitForSelector(`${rowSel} .price-form.own-price`);
    await htmxSettled(page);
    assert.equal(find(await menuOf(kemang), item.id).price_minor, 20000);
    assert.equal(find(await menuOf(blokM), item.id).price_minor, 25000);
    await page.fill(`#price-${item.id}`, 'dua puluh');
    const [bad] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click(`${rowSel} .price-form button`),
    ]);
    assert.equal(bad.status(), 422);
    await page.waitForSelector(`#price-${item.id}-error`);
    assert.equal(await page.inputValue(`#price-${item.id}`), 'dua puluh');
    await screenshots(page, 'menu-availability');

    await page.fill(`#price-${item.id}`, '');
    await page.click(`${rowSel} .price-form button`);
    await page.waitForSelector(`${rowSel} .price-form:not(.own-price):not(.invalid)`);
    await page.click(`${rowSel} button.toggle`);
    await page.waitForSelector(`${rowSel} button.toggle.on`);
    await htmxSettled(page);
    const back = find(await menuOf(kemang), item.id);
    assert.deepEqual([back.available, back.price_minor], [true, 25000]);
    assert.equal(await page.evaluate(() => window.__samePage), true);
    assertClean(problems);
  });

  test('the item form refuses a post without the CSRF token', async () => {
    const { page } = browser;
    const before = (await menuItems()).length;
    const res = await page.request.post('/admin/menu/items', {
      multipart: { name: 'Palsu', price: '1000', category_id: (await menuItems())[0].category_id },
      maxRedirects: 0,
    });
    assert.equal(res.status(), 403);
    assert.equal((await menuItems()).length, before, 'nothing was created');
  });

  test('a manager sees the menu read-only and the grid of their own outlet only', async () => {
    const { page, problems } = browser;
    const email = uniqueEmail('manager');
    await api('POST', '/users', {
      token: brand.token,
      body: { email, name: 'Pak Manajer', password: 'browser-test-pw', role: 'manager', outlet_ids: [blokM.id] },
    });
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/admin/login'),
      page.click('header button.link'),
    ]);
    await signIn(page, email);
    await page.click('nav a[href="/admin/menu"]');
    await page.waitForURL('**/admin/menu');
    assert.equal(await page.locator('a[href="/admin/menu/items/new"]').count(), 0);
    assert.equal(await page.locator('#category-form').count(), 0);
    const minuman = await openCategory(page, 'Minuman');
    assert.ok(await minuman.locator('li.item .item-name', { hasText: 'Es Kopi Susu' }).count(), 'items are listed');
    assert.equal(await page.locator('li.item a.item-name').count(), 0, 'items are not editable');
    assert.equal(await minuman.locator('details.edit').count(), 0, 'nor is the category');
    assert.deepEqual(await page.locator('a.chip').allTextContents(), ['Kopi Menu Blok M']);
    await page.goto(`/admin/outlets/${kemang.id}/availability`);
    assert.match(await page.textContent('#error-message'), /tidak ditemukan/);
    const item = (await menuItems()).find((i) => i.name === 'Es Kopi Susu');
    await page.goto(`/admin/menu/items/${item.id}`);
    assert.match(await page.textContent('#error-message'), /tidak diizinkan/);

    await page.goto(`/admin/outlets/${blokM.id}/availability`);
    await page.click(`#avail-${item.id} button.toggle`);
    await page.waitForSelector(`#avail-${item.id} button.toggle.off`);
    await page.click(`#avail-${item.id} button.toggle`);
    await page.waitForSelector(`#avail-${item.id} button.toggle.on`);
    await htmxSettled(page);
    assertClean(problems);
  });
});
