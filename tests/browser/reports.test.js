// Reports in the admin: the summary cards, the by-day and by-hour SVG
// charts, item mix, payment mix and outlet comparison for a brand with two
// outlets; the outlet filter narrows every figure; each table downloads as
// CSV; the page reads well on a phone and in English; and the dashboard's
// today's sales card of an outlet updates live when an order is paid.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertClean, createMenuItem, createOutlet, launch, placeOrder, screenshots, setLanguage, signIn, signUpBrand,
} from './helpers.js';

describe('reports in the admin', () => {
  let browser;
  let brand;
  let kemang;
  let bali;
  let kopi;
  let teh;

  /** A counter order of `items` at `outlet`, paid in cash. */
  async function sale(outlet, items) {
    const order = await placeOrder(brand, outlet.id, items);
    await api('POST', `/orders/${order.id}/payments`, {
      token: brand.token,
      body: { client_payment_id: randomUUID(), method: 'cash', amount_minor: order.total_minor },
    });
    return order;
  }

  before(async () => {
    brand = await signUpBrand('Kopi Laporan');
    kemang = await createOutlet(brand, 'Kemang');
    bali = await createOutlet(brand, 'Bali');
    kopi = await createMenuItem(brand, { name: 'Kopi Tubruk', price: 25000 });
    teh = await createMenuItem(brand, { name: 'Teh Tarik', price: 15000 });
    // Kemang: 2 × Kopi + 1 × Teh = 65.000 of item sales; Bali: 1 × Teh = 15.000.
    await sale(kemang, [kopi]);
    await sale(kemang, [kopi, teh]);
    await sale(bali, [teh]);
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  test('the reports page shows cards, charts and mixes, and the outlet filter narrows them', async () => {
    const { page, problems } = browser;
    await page.click('nav.nav a[href="/admin/reports"]');
    await page.waitForURL(/\/admin\/reports/);
    assert.match(await page.textContent('h1'), /Laporan/);
    assert.equal((await page.textContent('#card-net .num')).trim(), 'Rp 80.000');
    assert.equal((await page.textContent('#card-orders .num')).trim(), '3');
    // Two charts of bars: 7 days, and 24 hours with today's sales in one of them.
    assert.equal(await page.locator('#chart-day rect.bar').count(), 7);
    assert.equal(await page.locator('#chart-hour rect.bar').count(), 24);
    const tallest = await page.$$eval('#chart-day rect.bar', (bars) => Math.max(...bars.map((b) => Number(b.getAttribute('height')))));
    assert.ok(tallest > 100, 'today has the tallest bar');
    assert.match(await page.textContent('#item-mix'), /Kopi Tubruk[\s\S]*2[\s\S]*Rp 50\.000[\s\S]*Teh Tarik/);
    assert.match(await page.textContent('#payment-mix'), /Tunai/);
    assert.equal(await page.locator('#outlet-comparison tbody tr').count(), 2);
    await screenshots(page, 'reports');

    await page.selectOption('#f-outlet', kemang.id);
    await Promise.all([page.waitForURL(new RegExp(`outlet_id=${kemang.id}`)), page.click('#report-filter button[type=submit]')]);
    assert.equal((await page.textContent('#card-net .num')).trim(), 'Rp 65.000');
    assert.equal((await page.textContent('#card-orders .num')).trim(), '2');
    assert.equal(await page.locator('#outlet-comparison tbody tr').count(), 1);

    // A reversed range is explained next to the field, not a failure.
    await page.fill('#f-from', '2026-12-31');
    await page.fill('#f-to', '2026-12-01');
    await page.click('#report-filter button[type=submit]');
    await page.waitForSelector('#from-error');
    assert.match(await page.textContent('#from-error'), /sebelum/);
    assertClean(problems);
  });

  test('every table downloads as CSV with the rows on the page', async () => {
    const { page } = browser;
    await page.goto(`/admin/reports?outlet_id=${kemang.id}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#items a.csv'),
    ]);
    assert.match(download.suggestedFilename(), /^sales-item-.*\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    const lines = text.trim().split('\n');
    assert.equal(lines[0], 'key,label,orders,qty,gross_minor,discount_minor,refund_minor,net_minor,tax_minor,service_charge_minor');
    assert.equal(lines.length, 3);
    assert.match(lines[1], new RegExp(`^${kopi.id},Kopi Tubruk,2,2,50000,0,0,50000,0,0$`));
    for (const section of ['by-day', 'by-hour', 'modifiers', 'payments', 'outlets', 'channels', 'kitchen', 'adjustments']) {
      const href = await page.getAttribute(`#${section} a.csv`, 'href');
      const res = await page.request.get(href);
      assert.equal(res.status(), 200, section);
      assert.match(res.headers()['content-type'], /^text\/csv/, section);
    }
  });

  test('in English, and the dashboard shows today\'s sales per outlet, live', async () => {
    const { page, problems } = browser;
    await setLanguage(page, 'en');
    await page.goto('/admin/reports');
    assert.match(await page.textContent('h1'), /Reports/);
    assert.match(await page.textContent('#summary'), /Net sales/);
    await setLanguage(page, 'id');

    await page.goto('/admin');
    const card = page.locator(`#today-${bali.id} .today-net`);
    assert.equal((await card.textContent()).trim(), 'Rp 15.000');
    // Wait for the live stream, then sell: the card follows without a reload.
    await page.waitForSelector(`#today-${bali.id}[data-live="open"]`);
    await sale(bali, [kopi]);
    await page.waitForFunction((id) => document.querySelector(`#today-${id} .today-net`).textContent.trim() === 'Rp 40.000', bali.id);
    assert.equal((await page.textContent(`#today-${bali.id} .today-orders`)).trim(), '2');
    await screenshots(page, 'dashboard-today');
    assertClean(problems);
  });
});
