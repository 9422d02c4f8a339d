// Orders: the live board (a new order appears within 2 s without a reload,
// accept → preparing → ready → complete moves it and then it leaves,
// cancelling needs a reason, a refused move is explained kindly), the
// paginated list and the detail page.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertClean, createMenuItem, createOutlet, htmxSettled, launch, placeOrder, screenshots, signIn, signUpBrand,
} from './helpers.js';

describe('orders and the live board', () => {
  let browser;
  let brand;
  let outlet;
  let kopi;
  let evil;

  before(async () => {
    brand = await signUpBrand('Kopi Papan');
    outlet = await createOutlet(brand, 'Kopi Papan Kemang');
    kopi = await createMenuItem(brand, { name: 'Es Kopi Susu', price: 25000 });
    evil = await createMenuItem(brand, { name: '<script>alert(1)</script>', price: 1000 });
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  const card = (page, order) => page.locator(`#order-${order.id}`);
  const column = async (page, order) => {
    const el = card(page, order);
    if ((await el.count()) === 0) return null;
    return el.evaluate((e) => e.closest('.column').dataset.status);
  };
  const statusOf = async (order) => (await api('GET', `/orders/${order.id}`, { token: brand.token })).json;

  async function openBoard(page) {
    await page.goto('/admin');
    await page.click(`a[href="/admin/outlets/${outlet.id}/board"]`);
    await page.waitForURL(`**/admin/outlets/${outlet.id}/board`);
    // The stream is open (and the board refreshed once after it opened).
    await page.waitForSelector('#live[data-live="open"]');
    await htmxSettled(page);
  }

  test('a new order appears on the open board within 2 s, without a reload', async () => {
    const { page, problems } = browser;
    await openBoard(page);
    assert.match(await page.textContent('.live-status'), /Langsung/);
    await page.evaluate(() => { window.__samePage = true; });
    const order = await placeOrder(brand, outlet.id, [kopi, evil]);
    const started = Date.now();
    await card(page, order).waitFor({ timeout: 2000 });
    assert.ok(Date.now() - started < 2000);
    assert.equal(await column(page, order), 'placed');
    assert.equal(await page.evaluate(() => window.__samePage), true, 'no reload');
    const text = await card(page, order).textContent();
    assert.ok(text.includes(order.number));
    assert.ok(text.includes('Rp 28.600'), 'the total with 10% tax, formatted');
    assert.ok(text.includes('<script>alert(1)</script>'), 'markup in a name is text');
    assert.match(text, /Reguler/);
    assertClean(problems);
  });

  test('accept, start, ready and complete move the order; completed orders leave the board', async () => {
    const { page, problems } = browser;
    const order = await placeOrder(brand, outlet.id, [kopi]);
    await card(page, order).waitFor({ timeout: 2000 });
    const steps = [['Terima', 'accepted'], ['Mulai siapkan', 'preparing'], ['Siap', 'ready']];
    for (const [label, status] of steps) {
      await card(page, order).locator('button.next', { hasText: label }).click();
      await page.waitForSelector(`#col-${status} #order-${order.id}`);
      assert.equal((await statusOf(order)).status, status);
    }
    // A second order waiting, for the screenshot's sake.
    const waiting = await placeOrder(brand, outlet.id, [kopi, kopi]);
    await card(page, waiting).waitFor({ timeout: 2000 });
    await screenshots(page, 'orders-board');

    await card(page, order).locator('button.next', { hasText: 'Selesai' }).click();
    await card(page, order).waitFor({ state: 'detached' });
    assert.equal((await statusOf(order)).status, 'completed');
    assert.equal(await page.evaluate(() => window.__samePage), true, 'no reload');
    assertClean(problems);
  });

  test('cancelling asks for a reason and removes the order', async () => {
    const { page, problems } = browser;
    const order = await placeOrder(brand, outlet.id, [kopi]);
    await card(page, order).waitFor({ timeout: 2000 });
    const cancel = card(page, order).locator('details.cancel');
    await cancel.locator('summary').click();
    const reason = cancel.locator('input[name=reason]');
    assert.equal(await reason.getAttribute('required'), '', 'the reason is required');
    // Another order arriving while the reason is typed keeps what was typed.
    await reason.fill('Stok susu habis');
    const other = await placeOrder(brand, outlet.id, [kopi]);
    await card(page, other).waitFor({ timeout: 2000 });
    assert.equal(await card(page, order).locator('input[name=reason]').inputValue(), 'Stok susu habis');
    await card(page, order).locator('details.cancel button.danger').click();
    await card(page, order).waitFor({ state: 'detached' });
    const saved = await statusOf(order);
    assert.deepEqual([saved.status, saved.cancel_reason], ['cancelled', 'Stok susu habis']);
    assertClean(problems);
  });

  test('a move someone else already made is explained, not an error page', async () => {
    const { page, problems } = browser;
    const order = await placeOrder(brand, outlet.id, [kopi]);
    await card(page, order).waitFor({ timeout: 2000 });
    // A second tab whose live stream is down: its board is stale.
    const stale = await browser.context.newPage();
    await stale.route('**/api/v1/outlets/*/events', (route) => route.abort());
    await stale.goto(`/admin/outlets/${outlet.id}/board`);
    await stale.locator(`#order-${order.id}`).waitFor();
    await api('POST', `/orders/${order.id}/status`, {
      token: brand.token, body: { status: 'cancelled', reason: 'Pelanggan pergi' },
    });
    await card(page, order).waitFor({ state: 'detached' });
    const [res] = await Promise.all([
      stale.waitForResponse((r) => r.request().method() === 'POST'),
      stale.locator(`#order-${order.id} button.next`).click(),
    ]);
    assert.equal(res.status(), 409);
    await stale.waitForSelector('#board-message');
    const message = await stale.textContent('#board-message');
    assert.match(message, new RegExp(`Tidak dapat diubah: pesanan ${order.number} sudah dibatalkan`));
    assert.equal(await stale.locator(`#order-${order.id}`).count(), 0, 'the board is current again');
    assert.equal(await stale.locator('#main h1').textContent(), 'Papan pesanan langsung: Kopi Papan Kemang');
    await stale.close();
    assertClean(problems);
  });

  test('the order list pages through orders; the detail shows lines and totals', async () => {
    const { page, problems } = browser;
    await page.click('nav a[href="/admin/orders"]');
    await page.waitForURL('**/admin/orders');
    await page.click(`a[href="/admin/outlets/${outlet.id}/orders"]`);
    await page.waitForSelector('#orders');
    const rows = page.locator('#orders tbody tr');
    assert.equal(await rows.count(), 6);
    const all = (await api('GET', `/orders?outlet_id=${outlet.id}`, { token: brand.token })).json.items;
    const cancelled = all.find((o) => o.cancel_reason === 'Stok susu habis');
    const row = page.locator(`#order-${cancelled.id}`);
    assert.match(await row.textContent(), /Dibatalkan/);
    assert.match(await row.textContent(), /Rp \d+\.\d{3}/);
    await screenshots(page, 'orders-list');

    // Filtered by status.
    await page.selectOption('#f-status', 'cancelled');
    await page.click('form.filter button');
    await page.waitForURL('**/orders?status=cancelled');
    assert.equal(await page.locator('#orders tbody tr').count(), 2);

    await page.locator(`#order-${cancelled.id} a.strong`).click();
    // The detail's URL first: a selector wait begun before the boosted
    // navigation swaps the page can miss the new document (Chromium 156).
    await page.waitForURL(`**/admin/orders/${cancelled.id}`);
    await page.waitForSelector('#order-number');
    assert.equal(await page.textContent('#order-number'), cancelled.number);
    assert.equal(await page.textContent('#order-status'), 'Dibatalkan');
    assert.equal(await page.textContent('#cancel-reason'), 'Stok susu habis');
    assert.match(await page.textContent('#order-total'), /^Rp \d+\.\d{3}$/);
    assert.match(await page.textContent('table.lines'), /Es Kopi Susu/);
    await screenshots(page, 'orders-detail');
    assertClean(problems);
  });

  test('the list is paginated', async () => {
    const { page } = browser;
    for (let i = 0; i < 25; i += 1) {
      await placeOrder(brand, outlet.id, [kopi]);
    }
    await page.goto(`/admin/outlets/${outlet.id}/orders`);
    assert.equal(await page.locator('#orders tbody tr').count(), 25);
    await page.click('#older');
    await page.waitForURL('**cursor=**');
    assert.equal(await page.locator('#orders tbody tr').count(), 6);
    assert.equal(await page.locator('#older').count(), 0);
  });

  test('orders that need a look are highlighted on the board and in the list', async () => {
    const { page, problems } = browser;
    await api('PATCH', `/outlets/${outlet.id}`, { token: brand.token, body: { is_open: false } });
    const order = await placeOrder(brand, outlet.id, [kopi]);
    await api('PATCH', `/outlets/${outlet.id}`, { token: brand.token, body: { is_open: true } });
    assert.deepEqual(order.flags, ['outlet_closed']);
    await page.goto(`/admin/outlets/${outlet.id}/board`);
    assert.equal(await card(page, order).getAttribute('class'), 'ticket flagged');
    assert.equal(await card(page, order).locator('.badge.flag').textContent(), 'Outlet tutup');
    await page.goto(`/admin/outlets/${outlet.id}/orders`);
    assert.equal(await page.getAttribute(`#order-${order.id}`, 'class'), 'flagged');
    assert.equal(await page.textContent(`#order-${order.id} .badge.flag`), 'Outlet tutup');
    assertClean(problems);
  });

  test('the board and the menu speak English on request', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/outlets/${outlet.id}/board`);
    await Promise.all([
      page.waitForURL(`**/admin/outlets/${outlet.id}/board`),
      page.click('header form.lang button[value=en]'),
    ]);
    await page.waitForSelector('html[lang=en]');
    await page.waitForSelector('#live[data-live="open"]');
    assert.deepEqual(await page.locator('.column h2').evaluateAll((hs) => hs.map((h) => h.firstChild.textContent.trim())),
      ['New', 'Accepted', 'Preparing', 'Ready']);
    assert.match(await page.textContent('.live-status'), /Live/);
    assert.match(await page.textContent('#col-placed'), /Accept/);
    for (const path of ['/admin/menu', '/admin/menu/items/new', `/admin/outlets/${outlet.id}/availability`,
      '/admin/orders', `/admin/outlets/${outlet.id}/orders`]) {
      await page.goto(path);
      const text = await page.textContent('body');
      assert.ok(!text.includes('⟨?⟩'), `${path}: every string has its English`);
    }
    assert.match(await page.textContent('h1'), /^Order list/);
    await page.click('header form.lang button[value=id]');
    await page.waitForSelector('html[lang=id]');
    assertClean(problems);
  });
});
