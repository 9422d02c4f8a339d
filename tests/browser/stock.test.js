// Stock in the admin (issue 14): an owner creates ingredients (a duplicate
// name is refused next to the field), sets a latte's recipe and what its
// large size adds, receives milk at one outlet and sees it on hand, sees a
// waste larger than the stock refused inline, records a count whose
// variance shows once saved, marks the level low, sends milk to the other
// outlet where it is received, reads the ledger with its filters, and a
// form submitted twice records once.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertClean, createMenuItem, createOutlet, htmxSettled, launch, screenshots, setLanguage, signIn, signUpBrand,
} from './helpers.js';

describe('stock in the admin', () => {
  let browser;
  let brand;
  let sabang;
  let kemang;
  let latte;

  before(async () => {
    brand = await signUpBrand('Kopi Stok');
    sabang = await createOutlet(brand, 'Kopi Stok Sabang');
    kemang = await createOutlet(brand, 'Kopi Stok Kemang');
    latte = await createMenuItem(brand, { name: 'Es Kopi Susu', price: 30000 });
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  /** On hand of the ingredient named `name` at the outlet, as the JSON API says. */
  async function onHand(outlet, name) {
    const { json } = await api('GET', `/outlets/${outlet.id}/stock`, { token: brand.token });
    return json.items.find((i) => i.name === name).on_hand;
  }

  /** Submits the page's movement form. */
  async function record(page, { kind, ingredient, qty, to, note }) {
    await page.selectOption('#f-kind', kind);
    await page.selectOption('#f-ingredient', { label: ingredient });
    await page.fill('#f-qty', String(qty));
    if (to) await page.selectOption('#f-to-outlet', { label: to });
    if (note) await page.fill('#f-note', note);
    await page.click('#record-movement');
    await htmxSettled(page);
  }

  test('ingredients are created, and a name used twice is refused next to the field', async () => {
    const { page, problems } = browser;
    await page.goto('/admin');
    await Promise.all([page.waitForURL('**/admin/stock'), page.click('nav.nav a[href="/admin/stock"]')]);
    await page.click('nav.tabs a[href="/admin/stock/ingredients"]');
    await page.waitForSelector('#new-ingredient');
    for (const [name, unit, cost] of [['Susu', 'ml', '20'], ['Biji kopi', 'g', '300']]) {
      await page.fill('#f-ingredient-name', name);
      await page.selectOption('#f-ingredient-unit', unit);
      await page.fill('#f-ingredient-cost', cost);
      await page.click('#new-ingredient button[type=submit]');
      await page.waitForSelector(`tr[data-ingredient="${name}"]`);
      assert.equal(await page.textContent('p.notice'), 'Bahan dibuat.');
    }
    assert.match(await page.textContent('tr[data-ingredient="Susu"]'), /ml[\s\S]*Rp 20 \/ ml/);

    await page.fill('#f-ingredient-name', 'susu');
    await page.click('#new-ingredient button[type=submit]');
    await page.waitForSelector('#name-error');
    assert.match(await page.textContent('#name-error'), /sudah/i, 'the domain refusal in Indonesian');
    assert.equal(await page.inputValue('#f-ingredient-name'), 'susu', 'what was typed is kept');
    const { json } = await api('GET', '/ingredients', { token: brand.token });
    assert.deepEqual(json.map((i) => i.name), ['Biji kopi', 'Susu'], 'nothing stored for the refused one');
    assertClean(problems);
  });

  test('a recipe is set for the item and its large size, and an ingredient in use cannot be deleted', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/menu/items/${latte.id}`);
    await Promise.all([page.waitForURL(`**/admin/menu/items/${latte.id}/recipe`), page.click('#item-recipe')]);
    await page.selectOption('#f-item-1-ingredient', { label: 'Susu (ml)' });
    await page.fill('#f-item-1-qty', '200');
    await page.selectOption('#f-item-2-ingredient', { label: 'Biji kopi (g)' });
    await page.fill('#f-item-2-qty', '18');
    const large = latte.modifier_groups[0].options.find((o) => o.name === 'Besar').id;
    await page.selectOption(`#f-${large}-1-ingredient`, { label: 'Susu (ml)' });
    await page.fill(`#f-${large}-1-qty`, '100');
    await page.click('#save-recipe');
    await page.waitForSelector('p.notice');
    assert.equal(await page.textContent('p.notice'), 'Resep disimpan.');
    assert.equal(await page.inputValue('#f-item-1-qty'), '200', 'the saved recipe is shown again');
    const { json } = await api('GET', `/menu-items/${latte.id}/recipe`, { token: brand.token });
    assert.equal(json.lines.length, 2);
    assert.deepEqual(json.options.map((o) => [o.option_id, o.lines[0].qty]), [[large, 100]]);
    await screenshots(page, 'stock-recipe');

    await page.goto('/admin/stock/ingredients');
    await page.click('tr[data-ingredient="Susu"] button.danger');
    await page.waitForSelector('tr[data-ingredient="Susu"] .refusal');
    assert.match(await page.textContent('tr[data-ingredient="Susu"] .refusal'), /resep/i);
    assert.equal((await api('GET', '/ingredients', { token: brand.token })).json.length, 2, 'still there');
    assertClean(problems);
  });

  test('stock is received, a waste beyond it is refused inline, a count shows its variance, a level marks it low', async () => {
    const { page, problems } = browser;
    await page.goto('/admin/stock');
    await page.click(`tr[data-outlet="${sabang.name}"] a.strong`);
    await page.waitForSelector('#movement-form');
    await record(page, { kind: 'receive', ingredient: 'Susu (ml)', qty: '1.000', note: 'PT Susu Segar' });
    await page.waitForSelector('#recorded');
    assert.match(await page.textContent('#recorded'), /Terima barang[\s\S]*Susu[\s\S]*\+1000 ml[\s\S]*1000 ml/);
    assert.equal((await page.textContent('tr[data-ingredient="Susu"] .qty')).trim(), '1000 ml');
    assert.equal(await onHand(sabang, 'Susu'), 1000);

    await record(page, { kind: 'waste', ingredient: 'Susu (ml)', qty: '5000' });
    await page.waitForSelector('#qty-error');
    assert.match(await page.textContent('#qty-error'), /melebihi stok yang ada \(1000\)/i);
    assert.equal(await page.inputValue('#f-qty'), '5000');
    await record(page, { kind: 'waste', ingredient: 'Susu (ml)', qty: 'sedikit' });
    assert.match(await page.textContent('#qty-error'), /bilangan bulat/);
    assert.equal(await onHand(sabang, 'Susu'), 1000, 'nothing was taken');

    await record(page, { kind: 'count', ingredient: 'Susu (ml)', qty: '900', note: 'Opname malam' });
    await page.waitForSelector('#count-variance');
    assert.match(await page.textContent('#count-variance'), /Dihitung: 900 ml[\s\S]*Selisih: -100 ml/);
    assert.equal(await onHand(sabang, 'Susu'), 900);

    await page.fill('#f-threshold-' + (await rowId(page, 'Susu')), '950');
    await page.click(`tr[data-ingredient="Susu"] form button`);
    await page.waitForSelector('tr[data-ingredient="Susu"].low');
    assert.match(await page.textContent('tr[data-ingredient="Susu"]'), /menipis/);
    assert.equal(await page.locator('tr[data-ingredient="Biji kopi"].low').count(), 0);
    await screenshots(page, 'stock-outlet');
    assertClean(problems);
  });

  test('the same form submitted twice records once', async () => {
    const { page } = browser;
    await page.goto(`/admin/outlets/${sabang.id}/stock`);
    const form = await page.evaluate(() => Object.fromEntries(new FormData(document.querySelector('#movement-form'))));
    const ingredient = await rowId(page, 'Biji kopi');
    const body = { ...form, kind: 'receive', ingredient_id: ingredient, qty: '500', to_outlet_id: '', note: '' };
    for (let i = 0; i < 2; i += 1) {
      const res = await page.request.post(`/admin/outlets/${sabang.id}/stock/movements`, { form: body, maxRedirects: 0 });
      assert.equal(res.status(), 303);
      assert.match(res.headers().location, /recorded=/);
    }
    assert.equal(await onHand(sabang, 'Biji kopi'), 500, 'received once');
  });

  test('a transfer sent from one outlet is received at the other', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/outlets/${sabang.id}/stock`);
    await record(page, { kind: 'transfer_out', ingredient: 'Susu (ml)', qty: '300', to: kemang.name });
    await page.waitForSelector('#recorded');
    assert.match(await page.textContent('#recorded'), /Transfer keluar[\s\S]*-300 ml/);
    assert.equal(await onHand(sabang, 'Susu'), 600);

    await page.goto(`/admin/outlets/${kemang.id}/stock`);
    const row = page.locator('#incoming-transfers tr[data-ingredient="Susu"]');
    assert.match(await row.textContent(), /300 ml[\s\S]*Kopi Stok Sabang/);
    await row.locator('button[type=submit]').click();
    await page.waitForSelector('#recorded');
    assert.match(await page.textContent('#recorded'), /Transfer masuk[\s\S]*\+300 ml/);
    assert.equal(await page.locator('#incoming-transfers').count(), 0, 'nothing waits any more');
    assert.equal((await page.textContent('tr[data-ingredient="Susu"] .qty')).trim(), '300 ml');
    assert.equal(await onHand(kemang, 'Susu'), 300);
    assertClean(problems);
  });

  test('the ledger lists who did what and why, filtered by kind', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/outlets/${sabang.id}/stock`);
    await Promise.all([page.waitForURL('**/stock/movements'), page.click(`a[href="/admin/outlets/${sabang.id}/stock/movements"]`)]);
    const kinds = await page.locator('#movements tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.kind));
    assert.deepEqual(kinds, ['transfer_out', 'receive', 'count', 'receive']);
    const first = await page.textContent('#movements tbody tr:first-child');
    assert.match(first, /Transfer keluar[\s\S]*Susu[\s\S]*-300 ml[\s\S]*600 ml[\s\S]*Ibu Pemilik[\s\S]*ke Kopi Stok Kemang/);
    assert.match(await page.textContent('#movements tbody tr[data-kind="count"]'), /-100 ml[\s\S]*Dihitung 900 ml[\s\S]*Opname malam/);

    await page.selectOption('#f-filter-kind', 'count');
    await Promise.all([page.waitForURL(/kind=count/), page.click('#movement-filters button[type=submit]')]);
    assert.deepEqual(
      await page.locator('#movements tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.kind)),
      ['count'],
    );
    await page.fill('#f-filter-from', '2001-01-01');
    await page.fill('#f-filter-to', '2001-01-02');
    await Promise.all([page.waitForURL(/from=2001/), page.click('#movement-filters button[type=submit]')]);
    assert.equal(await page.locator('#movements').count(), 0, 'nothing that long ago');
    await screenshots(page, 'stock-movements');

    // The same pages in English.
    await page.goto(`/admin/outlets/${sabang.id}/stock/movements`);
    await setLanguage(page, 'en');
    assert.equal((await page.textContent('h1')).trim(), `Stock movements · ${sabang.name}`);
    assert.match(await page.textContent('#movements tbody tr[data-kind="count"]'), /Count[\s\S]*Counted 900 ml/);
    await page.goto(`/admin/outlets/${sabang.id}/stock`);
    assert.match(await page.textContent('tr[data-ingredient="Susu"]'), /600 ml[\s\S]*low/);
    await setLanguage(page, 'id');
    assertClean(problems);
  });
});

/** The ingredient id of the stock row named `name`. */
async function rowId(page, name) {
  const id = await page.getAttribute(`tr[data-ingredient="${name}"]`, 'id');
  return id.replace(/^level-/, '');
}
