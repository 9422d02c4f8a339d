// Stock reports in the admin: a café with a recipe (150 ml milk at Rp 30
// and 15 g coffee at Rp 250 per portion) sells two coffees; the food cost
// per item and in total match a hand computation, usage and on hand show
// the ingredients, each table downloads as CSV, and the page reads well on
// a phone and in English.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PHONE, api, assertClean, createMenuItem, createOutlet, launch, noHorizontalScroll, placeOrder, screenshots,
  setLanguage, signIn, signUpBrand,
} from './helpers.js';

const PRICE = 25000;
const MILK = { qty: 150, cost: 30 };
const COFFEE = { qty: 15, cost: 250 };

describe('stock reports in the admin', () => {
  let browser;
  let brand;
  let outlet;
  let coffee;

  async function ingredient(name, unit, cost) {
    const { json } = await api('POST', '/ingredients', {
      token: brand.token, body: { name, unit, cost_per_unit_minor: cost },
    });
    return json;
  }

  async function receive(ingredientId, qty) {
    await api('POST', `/outlets/${outlet.id}/stock-movements`, {
      token: brand.token,
      body: { client_movement_id: randomUUID(), ingredient_id: ingredientId, kind: 'receive', qty },
    });
  }

  before(async () => {
    brand = await signUpBrand('Kopi Stok');
    outlet = await createOutlet(brand, 'Senopati');
    await api('PATCH', `/outlets/${outlet.id}`, { token: brand.token, body: { tax_rate_bp: 0, service_charge_bp: 0 } });
    coffee = await createMenuItem(brand, { name: 'Es Kopi Susu', price: PRICE });
    const milk = await ingredient('Susu', 'ml', MILK.cost);
    const beans = await ingredient('Kopi', 'g', COFFEE.cost);
    await api('PUT', `/menu-items/${coffee.id}/recipe`, {
      token: brand.token,
      body: { lines: [{ ingredient_id: milk.id, qty: MILK.qty }, { ingredient_id: beans.id, qty: COFFEE.qty }] },
    });
    await receive(milk.id, 1000);
    await receive(beans.id, 200);
    await placeOrder(brand, outlet.id, [coffee]);
    await placeOrder(brand, outlet.id, [coffee]);
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  test('the food cost % of an item is its recipe cost over its net sales', async () => {
    const { page, problems } = browser;
    await page.click('nav.nav a[href="/admin/stock-reports"]');
    await page.waitForURL(/\/admin\/stock-reports/);
    assert.match(await page.textContent('h1'), /Laporan stok/);
    // By hand: 2 × (150 × 30 + 15 × 250) = 16.500 of 2 × 25.000 = 33 %.
    const cogs = 2 * (MILK.qty * MILK.cost + COFFEE.qty * COFFEE.cost);
    const net = 2 * PRICE;
    const bp = Math.round((cogs * 10000) / net);
    const shown = `${Math.floor(bp / 100)},${String(bp % 100).padStart(2, '0')} %`;
    assert.equal(shown, '33,00 %');
    const row = page.locator(`#food-cost-table tr[data-key="${coffee.id}"]`);
    assert.equal((await row.locator('.food-cost').textContent()).trim(), shown);
    assert.match(await row.textContent(), /Es Kopi Susu[\s\S]*2[\s\S]*Rp 50\.000[\s\S]*Rp 16\.500/);
    assert.equal((await page.textContent('#food-cost-total .food-cost')).trim(), shown);
    // Usage: 300 ml and 30 g by the recipes, not counted yet; on hand what is left.
    assert.match(await page.textContent('#usage-table'), /Susu[\s\S]*1000 ml[\s\S]*300 ml/);
    assert.match(await page.textContent('#on-hand-table'), /Kopi[\s\S]*170 g[\s\S]*Rp 42\.500[\s\S]*Susu[\s\S]*700 ml[\s\S]*Rp 21\.000/);
    assert.equal((await page.textContent('#on-hand-value')).trim(), 'Rp 63.500');
    assert.equal(await page.locator('#movements-table tr[data-kind="sale"]').count(), 2);
    await screenshots(page, 'stock-reports');
    assertClean(problems);
  });

  test('each table downloads as CSV with the figures on the page', async () => {
    const { page } = browser;
    await page.goto(`/admin/stock-reports?outlet_id=${outlet.id}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#food-cost a.csv')]);
    assert.match(download.suggestedFilename(), /^food-cost-.*\.csv$/);
    const lines = readFileSync(await download.path(), 'utf8').trim().split('\n');
    assert.equal(lines[0], 'menu_item_id,item,qty_sold,net_sales_minor,cogs_minor,food_cost_bp');
    assert.equal(lines[1], `${coffee.id},Es Kopi Susu,2,50000,16500,3300`);
    for (const section of ['usage', 'on-hand', 'movements']) {
      const href = await page.getAttribute(`#${section} a.csv`, 'href');
      const res = await page.request.get(href);
      assert.equal(res.status(), 200, section);
      assert.match(res.headers()['content-type'], /^text\/csv/, section);
    }
  });

  test('a reversed range is an inline message; English and a phone read it', async () => {
    const { page, problems } = browser;
    await page.goto('/admin/stock-reports?from=2026-02-02&to=2026-02-01');
    assert.match(await page.textContent('#from-error'), /sebelum/);
    await setLanguage(page, 'en');
    await page.goto('/admin/stock-reports');
    assert.match(await page.textContent('h1'), /Stock reports/);
    assert.equal((await page.textContent(`#food-cost-table tr[data-key="${coffee.id}"] .food-cost`)).trim(), '33.00 %');
    await page.setViewportSize(PHONE);
    await noHorizontalScroll(page, 'stock-reports-phone');
    await setLanguage(page, 'id');
    assertClean(problems);
  });
});
