// Payments in the admin: the order list and the live board show where each
// order's money stands (unpaid, partially paid, paid, partially refunded,
// refunded, void); the order page shows its payments (cash with tendered,
// change and rounding; card slip details; a pending QRIS with its gateway
// reference), the cash rounding line and the refunds, in both languages;
// owners and managers refund all or part of a payment from it.
//
// The display tests write payments as the owner role in SQL, for states the
// API takes many steps to reach; the live and refund tests go through the
// payments API and, for QRIS, the gateway stand-in (its "customer paid").

import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertClean, createMenuItem, createOutlet, launch, placeOrder, screenshots, setLanguage, signIn, signUpBrand,
  sqlAsOwner, watch,
} from './helpers.js';

describe('payments in the admin', () => {
  let browser;
  let brand;
  let outlet;
  let kopi;
  const orders = {};

  /** A payment row as the payments API stores it. */
  function payment(order, fields) {
    const cols = {
      method: 'cash', status: 'paid', amount_minor: order.total_minor, paid_at: 'now()', ...fields,
    };
    const names = Object.keys(cols);
    const values = names.map((k) => {
      const v = cols[k];
      if (v === null) return 'NULL';
      if (typeof v === 'number' || v === 'now()' || String(v).startsWith('now()')) return String(v);
      return `'${v}'`;
    });
    return `INSERT INTO payments (tenant_id, id, outlet_id, order_id, client_payment_id, payload_hash, ${names.join(', ')})
      VALUES ('${brand.tenantId}', gen_random_uuid(), '${outlet.id}', '${order.id}', gen_random_uuid(), '\\x00', ${values.join(', ')});`;
  }
  /** A payment through the payments API, as a cashier's till would make it. */
  const pay = async (order, body) => (await api('POST', `/orders/${order.id}/payments`, {
    token: brand.token, body: { client_payment_id: randomUUID(), ...body },
  })).json;
  const setOrder = (order, set) => `UPDATE orders SET ${set} WHERE id = '${order.id}';`;

  before(async () => {
    brand = await signUpBrand('Kopi Bayar');
    outlet = await createOutlet(brand, 'Kopi Bayar Senopati');
    await api('PATCH', `/outlets/${outlet.id}`, { token: brand.token, body: { cash_rounding_step: 100 } });
    kopi = await createMenuItem(brand, { name: 'Kopi Oat', price: 25430 });
    for (const name of ['unpaid', 'paid', 'partial', 'partRefund', 'refunded', 'void']) {
      orders[name] = await placeOrder(brand, outlet.id, [kopi]);
    }
    const total = orders.paid.total_minor;
    assert.equal(total, 27973, '25.430 plus 10% PB1');
    await api('POST', `/orders/${orders.void.id}/status`, {
      token: brand.token, body: { status: 'cancelled', reason: 'Pelanggan pergi' },
    });
    const owner = `(SELECT id FROM users WHERE role = 'owner' LIMIT 1)`;
    sqlAsOwner(brand.tenantId, [
      // Cash settles it: Rp 27.973 due, Rp 28.000 in cash (+27 rounding), Rp 50.000 handed over.
      payment(orders.paid, { amount_minor: total, rounding_minor: 27, tendered_minor: 50000, change_minor: 22000 }),
      setOrder(orders.paid, `payment_status = 'paid', paid_minor = ${total}, rounding_minor = 27, receipt_number = 1, paid_at = now()`),
      // A card payment of part of it, and a QRIS code waiting for the rest.
      payment(orders.partial, {
        method: 'card', amount_minor: 10000, card_approval_code: 'A1B2C3', card_last4: '4242', card_brand: 'visa',
      }),
      payment(orders.partial, {
        method: 'qris', status: 'pending', amount_minor: total - 10000, paid_at: null, gateway: 'midtrans',
        gateway_order_id: `pos-${orders.partial.id}`, gateway_transaction_id: 'tx-standin-777',
        qr_string: '00020101021226', expires_at: "now() + interval '15 minutes'",
      }),
      setOrder(orders.partial, `payment_status = 'partially_paid', paid_minor = 10000`),
      // Paid by QRIS, Rp 5.000 of it refunded.
      payment(orders.partRefund, {
        method: 'qris', gateway: 'midtrans', gateway_order_id: `pos-${orders.partRefund.id}`,
        gateway_transaction_id: 'tx-standin-888', refunded_minor: 5000,
      }),
      setOrder(orders.partRefund, `payment_status = 'partially_refunded', paid_minor = ${total}, refunded_minor = 5000, receipt_number = 2, paid_at = now()`),
      `INSERT INTO refunds (tenant_id, id, outlet_id, order_id, payment_id, client_refund_id, payload_hash, amount_minor, reason, status, user_id)
        SELECT tenant_id, gen_random_uuid(), outlet_id, order_id, id, gen_random_uuid(), '\\x00', 5000, 'Es kurang dingin', 'succeeded', ${owner}
          FROM payments WHERE order_id = '${orders.partRefund.id}';`,
      payment(orders.refunded, { method: 'card', card_approval_code: 'Z9', card_brand: 'mastercard', refunded_minor: total }),
      setOrder(orders.refunded, `payment_status = 'refunded', paid_minor = ${total}, refunded_minor = ${total}, receipt_number = 3, paid_at = now()`),
      setOrder(orders.void, `payment_status = 'void'`),
      // Receipt numbers 1 to 4 are taken above; the payments API goes on from 100.
      `INSERT INTO receipt_counters (tenant_id, outlet_id, last_number) VALUES ('${brand.tenantId}', '${outlet.id}', 100)
        ON CONFLICT (tenant_id, outlet_id) DO UPDATE SET last_number = 100;`,
    ].join('\n'));
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  const badge = (page, order) => page.locator(`#order-${order.id} .badge.pay`);
  const expected = {
    unpaid: ['unpaid', 'Belum dibayar', 'Unpaid'],
    paid: ['paid', 'Lunas', 'Paid'],
    partial: ['partially_paid', 'Dibayar sebagian', 'Partially paid'],
    partRefund: ['partially_refunded', 'Dikembalikan sebagian', 'Partially refunded'],
    refunded: ['refunded', 'Dikembalikan', 'Refunded'],
    void: ['void', 'Dibatalkan (void)', 'Void'],
  };

  test('the order list shows where each order\'s money stands, in both languages', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/outlets/${outlet.id}/orders`);
    await page.waitForSelector('#orders');
    for (const [name, [status, id]] of Object.entries(expected)) {
      assert.equal(await badge(page, orders[name]).getAttribute('data-pay'), status, name);
      assert.equal(await badge(page, orders[name]).textContent(), id, name);
    }
    await screenshots(page, 'payments-order-list');
    await setLanguage(page, 'en');
    await page.waitForSelector('#orders');
    for (const [name, [, , en]] of Object.entries(expected)) {
      assert.equal(await badge(page, orders[name]).textContent(), en, name);
    }
    await setLanguage(page, 'id');
    assertClean(problems);
  });

  test('the live board shows paid and unpaid on every ticket', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/outlets/${outlet.id}/board`);
    await page.waitForSelector('#live[data-live="open"]');
    for (const name of ['unpaid', 'paid', 'partial', 'partRefund', 'refunded']) {
      const [status, id] = expected[name];
      assert.equal(await badge(page, orders[name]).getAttribute('data-pay'), status, name);
      assert.equal(await badge(page, orders[name]).textContent(), id, name);
    }
    assert.equal(await page.locator(`#order-${orders.void.id}`).count(), 0, 'cancelled orders leave the board');
    await screenshots(page, 'payments-board');
    assertClean(problems);
  });

  test('a cash payment shows tendered, change and the cash rounding line', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/orders/${orders.paid.id}`);
    assert.equal(await page.textContent('#order-payment-status'), 'Lunas');
    assert.equal(await page.textContent('#receipt-number'), '1');
    assert.equal(await page.textContent('#order-total'), 'Rp 27.973');
    assert.match(await page.textContent('#order-rounding'), /Pembulatan tunai\s*Rp 27/);
    assert.match(await page.textContent('#order-collected'), /Rp 28\.000/);
    assert.equal(await page.locator('#order-balance').count(), 0, 'nothing left to pay');
    const cash = page.locator('li.payment[data-method=cash]');
    assert.equal(await cash.count(), 1);
    assert.match(await cash.locator('.payment-head').textContent(), /Tunai\s*Berhasil/);
    assert.equal(await cash.locator('.amount').textContent(), 'Rp 27.973');
    assert.equal(await cash.locator('.tendered').textContent(), 'Rp 50.000');
    assert.equal(await cash.locator('.change').textContent(), 'Rp 22.000');
    assert.equal(await cash.locator('.rounding').textContent(), 'Rp 27');
    await screenshots(page, 'payments-cash-detail');
    assertClean(problems);
  });

  test('a card payment shows its slip; a pending QRIS its gateway reference and expiry; the balance is due', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/orders/${orders.partial.id}`);
    assert.equal(await page.textContent('#order-payment-status'), 'Dibayar sebagian');
    assert.match(await page.textContent('#order-paid'), /Rp 10\.000/);
    assert.match(await page.textContent('#order-balance'), /Sisa tagihan\s*Rp 17\.973/);
    const card = page.locator('li.payment[data-method=card]');
    assert.equal(await card.locator('.card-slip').textContent(), 'Visa ···· 4242');
    assert.equal(await card.locator('.approval').textContent(), 'A1B2C3');
    assert.equal(await card.locator('.amount').textContent(), 'Rp 10.000');
    assert.equal(await card.locator('.tendered').count(), 0, 'no tendered or change on a card');
    const qris = page.locator('li.payment[data-method=qris]');
    assert.equal(await qris.getAttribute('data-status'), 'pending');
    assert.match(await qris.locator('.payment-head').textContent(), /QRIS\s*Menunggu/);
    assert.equal(await qris.locator('.gateway-ref').textContent(), 'tx-standin-777');
    assert.match(await qris.locator('.expires').textContent(), /^\d{2}[.:]\d{2}$/);
    assert.ok(!(await page.textContent('main')).includes('00020101021226'), 'the QR payload is not shown to staff');
    await screenshots(page, 'payments-card-qris-detail');

    await setLanguage(page, 'en');
    assert.match(await page.textContent('#order-balance'), /Balance due\s*Rp 17\.973/);
    assert.match(await qris.locator('.payment-head').textContent(), /QRIS\s*Pending/);
    assert.match(await card.locator('.payment-head').textContent(), /Card \(EDC\)\s*Paid/);
    assert.match(await page.textContent('#payments'), /Gateway reference/);
    assert.ok(!(await page.textContent('body')).includes('⟨?⟩'), 'every string has its English');
    await setLanguage(page, 'id');
    assertClean(problems);
  });

  test('refunds are listed with amount, reason and who made them', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/orders/${orders.partRefund.id}`);
    assert.equal(await page.textContent('#order-payment-status'), 'Dikembalikan sebagian');
    assert.match(await page.textContent('#order-refunded'), /−Rp 5\.000/);
    const qris = page.locator('li.payment[data-method=qris]');
    assert.equal(await qris.locator('.refunded').textContent(), 'Rp 5.000');
    const rows = page.locator('#refunds tbody tr');
    assert.equal(await rows.count(), 1);
    const text = await rows.first().textContent();
    assert.match(text, /QRIS/);
    assert.match(text, /Es kurang dingin/);
    assert.match(text, /Berhasil/);
    assert.match(text, /Ibu Pemilik/);
    assert.match(text, /Rp 5\.000/);
    await screenshots(page, 'payments-refunds-detail');

    await page.goto(`/admin/orders/${orders.void.id}`);
    assert.equal(await page.textContent('#order-payment-status'), 'Dibatalkan (void)');
    assert.equal(await page.locator('#order-balance').count(), 0, 'a void order owes nothing');
    assert.match(await page.textContent('#payments'), /Belum ada pembayaran/);

    await page.goto(`/admin/orders/${orders.unpaid.id}`);
    assert.equal(await page.textContent('#order-payment-status'), 'Belum dibayar');
    assert.match(await page.textContent('#order-balance'), /Rp 27\.973/);
    assertClean(problems);
  });

  test('the order page refreshes when its own order changes, not for others', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/orders/${orders.unpaid.id}`);
    await page.waitForSelector('#live[data-live="open"]');
    await page.waitForFunction(() => !document.querySelector('.htmx-request'));
    let fetches = 0;
    page.on('request', (r) => { if (r.url().endsWith(`/admin/orders/${orders.unpaid.id}/body`)) fetches += 1; });
    // Another order's change: no refetch.
    await api('POST', `/orders/${orders.paid.id}/status`, { token: brand.token, body: { status: 'accepted' } });
    await page.waitForTimeout(700);
    assert.equal(fetches, 0, 'another order\'s event does not refetch this page');
    // This order is paid meanwhile (as the API would), then moves on: the page shows both.
    sqlAsOwner(brand.tenantId, [
      payment(orders.unpaid, { method: 'card', card_approval_code: 'LIVE1', card_last4: '1111', card_brand: 'gpn' }),
      setOrder(orders.unpaid, `payment_status = 'paid', paid_minor = total_minor, receipt_number = 4, paid_at = now()`),
    ].join('\n'));
    await api('POST', `/orders/${orders.unpaid.id}/status`, { token: brand.token, body: { status: 'accepted' } });
    await page.waitForSelector('#order-payment-status[data-pay=paid]', { timeout: 3000 });
    assert.equal(await page.textContent('#order-status'), 'Diterima');
    assert.equal(await page.textContent('li.payment .card-slip'), 'GPN ···· 1111');
    assert.equal(fetches, 1);
    assertClean(problems);
  });

  const paymentOf = (order) => sqlAsOwner(brand.tenantId, `SELECT id FROM payments WHERE order_id = '${order.id}' AND status = 'paid' ORDER BY created_at LIMIT 1;`).trim();
  const refundCount = (order) => Number(sqlAsOwner(brand.tenantId, `SELECT count(*) FROM refunds WHERE order_id = '${order.id}';`).trim());

  async function submitRefund(page, paymentId, amount, reason) {
    const form = page.locator(`#refund-${paymentId} form`);
    if (!(await page.locator(`#refund-${paymentId}`).evaluate((d) => d.open))) {
      await page.click(`#refund-${paymentId} summary`);
    }
    await form.locator('input[name=amount]').fill(amount);
    await form.locator('input[name=reason]').fill(reason);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/refunds')),
      form.locator('button[type=submit]').click(),
    ]);
    return res;
  }

  test('a refund form refuses too much, nonsense and no reason, inline, keeping what was typed', async () => {
    const { page, problems } = browser;
    const paymentId = paymentOf(orders.paid);
    await page.goto(`/admin/orders/${orders.paid.id}`);
    assert.equal(await page.locator(`#refund-${paymentId}`).evaluate((d) => d.open), false, 'closed until asked');
    assert.match(await page.textContent(`#refund-max-${paymentId}`), /Paling banyak Rp 27\.973/);
    let res = await submitRefund(page, paymentId, '30.000', 'Salah pesan');
    assert.equal(res.status(), 422);
    await page.waitForSelector(`#refund-${paymentId}[open] #amount-error`);
    assert.match(await page.textContent('#amount-error'), /Paling banyak Rp 27\.973/);
    assert.equal(await page.inputValue(`#refund-amount-${paymentId}`), '30.000');
    assert.equal(await page.inputValue(`#refund-reason-${paymentId}`), 'Salah pesan');
    assert.equal(await page.getAttribute(`#refund-amount-${paymentId}`, 'aria-invalid'), 'true');
    // The page's stream reconnects after the post; the errors stay.
    await page.waitForSelector('#live[data-live="open"]');
    await page.waitForTimeout(300);
    assert.equal(await page.locator(`#refund-${paymentId}[open] #amount-error`).count(), 1);

    await page.evaluate((id) => {
      document.querySelectorAll(`#refund-${id} input`).forEach((i) => i.removeAttribute('required'));
    }, paymentId);
    res = await submitRefund(page, paymentId, 'lima ribu', '  ');
    assert.equal(res.status(), 422);
    await page.waitForSelector('#reason-error');
    assert.match(await page.textContent('#amount-error'), /\S/);
    assert.match(await page.textContent('#reason-error'), /Wajib diisi/);
    await screenshots(page, 'payments-refund-errors');
    assert.equal(refundCount(orders.paid), 0, 'nothing refunded');
    assert.equal((await api('GET', `/orders/${orders.paid.id}`, { token: brand.token })).json.refunded_minor, 0);

    await setLanguage(page, 'en');
    await page.goto(`/admin/orders/${orders.paid.id}`);
    res = await submitRefund(page, paymentId, '27974', 'Wrong order');
    assert.equal(res.status(), 422);
    await page.waitForSelector('#amount-error');
    assert.match(await page.textContent('#amount-error'), /At most Rp 27\.973/);
    await setLanguage(page, 'id');
    assertClean(problems);
  });

  test('an owner refunds part, then the rest, of a cash payment; a second screen sees it live', async () => {
    const { page, problems, context } = browser;
    const paymentId = paymentOf(orders.paid);
    const watcher = await context.newPage();
    await watcher.goto(`/admin/orders/${orders.paid.id}`);
    await watcher.waitForSelector('#live[data-live="open"]');
    await watcher.waitForFunction(() => !document.querySelector('.htmx-request'));

    await page.goto(`/admin/orders/${orders.paid.id}`);
    const res = await submitRefund(page, paymentId, '5.000', 'Es kopi tumpah');
    assert.equal(res.status(), 303);
    await page.waitForSelector('.notice');
    assert.equal(await page.textContent('.notice'), 'Pengembalian dana dicatat.');
    assert.equal(await page.textContent('#order-payment-status'), 'Dikembalikan sebagian');
    const row = page.locator('#refunds tbody tr');
    assert.equal(await row.count(), 1);
    assert.match(await row.textContent(), /Tunai[\s\S]*Es kopi tumpah[\s\S]*Berhasil[\s\S]*Ibu Pemilik[\s\S]*Rp 5\.000/);
    assert.match(await page.textContent(`#refund-max-${paymentId}`), /Paling banyak Rp 22\.973/);
    assert.match(await page.textContent('#order-refunded'), /−Rp 5\.000/);

    // The other screen shows it without a reload.
    await watcher.waitForSelector('#refunds tbody tr', { timeout: 3000 });
    assert.equal(await watcher.textContent('#order-payment-status'), 'Dikembalikan sebagian');
    await watcher.close();

    // The rest: the order is refunded and offers no more refunds.
    await submitRefund(page, paymentId, '22973', 'Pelanggan batal');
    await page.waitForSelector('#order-payment-status[data-pay=refunded]');
    assert.equal(await page.locator('#refunds tbody tr').count(), 2);
    assert.equal(await page.locator(`#refund-${paymentId}`).count(), 0, 'nothing left to refund');
    const order = (await api('GET', `/orders/${orders.paid.id}`, { token: brand.token })).json;
    assert.equal(order.payment_status, 'refunded');
    assert.equal(order.refunded_minor, 27973);
    await screenshots(page, 'payments-refunded');
    assertClean(problems);
  });

  test('the same refund form sent twice refunds once', async () => {
    const { page, problems } = browser;
    const order = await placeOrder(brand, outlet.id, [kopi]);
    const paid = await pay(order, { method: 'cash', amount_minor: order.total_minor, tendered_minor: 30000 });
    await page.goto(`/admin/orders/${order.id}`);
    await page.click(`#refund-${paid.id} summary`);
    await page.fill(`#refund-amount-${paid.id}`, '1000');
    await page.fill(`#refund-reason-${paid.id}`, 'Dobel klik');
    // Two posts of one form (a double click, or a retry after a lost answer).
    const statuses = await page.evaluate(async (id) => {
      const form = document.querySelector(`#refund-${id} form`);
      const body = new URLSearchParams(new FormData(form));
      const post = () => fetch(form.action, { method: 'POST', body, redirect: 'manual' }).then((r) => r.status);
      return Promise.all([post(), post()]);
    }, paid.id);
    assert.ok(statuses.every((s) => s === 0 || s === 303), `statuses ${statuses}`);
    assert.equal(refundCount(order), 1, 'one refund');
    const after = (await api('GET', `/orders/${order.id}`, { token: brand.token })).json;
    assert.equal(after.refunded_minor, 1000);
    assertClean(problems);
  });

  test('a pending QRIS payment offers no refund, and a forged post for one is refused with the reason', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/orders/${orders.partial.id}`);
    const pending = page.locator('li.payment[data-status=pending]');
    assert.equal(await pending.locator('details.refund').count(), 0);
    assert.equal(await page.locator('li.payment[data-method=card] details.refund').count(), 1);
    const pendingId = (await pending.getAttribute('id')).replace('payment-', '');
    const csrf = await page.inputValue('input[name=csrf_token] >> nth=0');
    const res = await page.request.post(`/admin/payments/${pendingId}/refunds`, {
      form: { csrf_token: csrf, client_refund_id: randomUUID(), amount: '1000', reason: 'Coba' },
      maxRedirects: 0,
    });
    assert.equal(res.status(), 409);
    assert.match(await res.text(), /Hanya pembayaran yang sudah lunas yang bisa dikembalikan/);
    assert.equal(refundCount(orders.partial), 0);
    // Someone else's payment id is not found at all.
    const other = await page.request.post(`/admin/payments/${randomUUID()}/refunds`, {
      form: { csrf_token: csrf, client_refund_id: randomUUID(), amount: '1000', reason: 'Coba' },
      maxRedirects: 0,
    });
    assert.equal(other.status(), 404);
    assertClean(problems);
  });

  test('a payment made at the till shows up live on the list, the board and the order page', async () => {
    const { page, problems, context } = browser;
    const order = await placeOrder(brand, outlet.id, [kopi]);
    await page.goto(`/admin/outlets/${outlet.id}/orders`);
    await page.waitForSelector('#live[data-live="open"]');
    const board = await context.newPage();
    await board.goto(`/admin/outlets/${outlet.id}/board`);
    await board.waitForSelector('#live[data-live="open"]');
    const detail = await context.newPage();
    await detail.goto(`/admin/orders/${order.id}`);
    await detail.waitForSelector('#live[data-live="open"]');
    for (const p of [page, board, detail]) {
      await p.waitForFunction(() => !document.querySelector('.htmx-request'));
    }
    assert.equal(await badge(page, order).getAttribute('data-pay'), 'unpaid');
    await page.evaluate(() => { window.__samePage = true; });

    // Part by card, then the rest in cash: Rp 17.973 due, Rp 18.000 with rounding, Rp 20.000 handed over.
    await pay(order, { method: 'card', amount_minor: 10000, card: { approval_code: 'LIVE42', last4: '0042', brand: 'jcb' } });
    await page.waitForSelector(`#order-${order.id} .badge.pay[data-pay=partially_paid]`, { timeout: 3000 });
    await board.waitForSelector(`#order-${order.id} .badge.pay[data-pay=partially_paid]`, { timeout: 3000 });
    await detail.waitForSelector('li.payment[data-method=card]', { timeout: 3000 });
    assert.match(await detail.textContent('#order-balance'), /Rp 17\.973/);

    await pay(order, { method: 'cash', amount_minor: 17973, tendered_minor: 20000 });
    await page.waitForSelector(`#order-${order.id} .badge.pay[data-pay=paid]`, { timeout: 3000 });
    await board.waitForSelector(`#order-${order.id} .badge.pay[data-pay=paid]`, { timeout: 3000 });
    await detail.waitForSelector('#order-payment-status[data-pay=paid]', { timeout: 3000 });
    assert.equal(await page.evaluate(() => window.__samePage), true, 'no reload');
    assert.equal(await badge(page, order).textContent(), 'Lunas');
    const cash = detail.locator('li.payment[data-method=cash]');
    assert.equal(await cash.locator('.tendered').textContent(), 'Rp 20.000');
    assert.equal(await cash.locator('.change').textContent(), 'Rp 2.000');
    assert.equal(await cash.locator('.rounding').textContent(), 'Rp 27');
    assert.equal(await detail.textContent('li.payment[data-method=card] .card-slip'), 'JCB ···· 0042');
    assert.match(await detail.textContent('#order-rounding'), /Rp 27/);
    assert.match(await detail.textContent('#receipt-number'), /^\d+$/);
    await screenshots(detail, 'payments-split-tender-live');
    await board.close();
    await detail.close();
    assertClean(problems);
  });

  test('QRIS paid at the gateway stand-in, then part refunded from the admin through the gateway', async () => {
    const { page, problems } = browser;
    const gateway = process.env.POS_MIDTRANS_BASE_URL;
    assert.ok(gateway, 'the gateway stand-in runs (tests/dev.sh and tests/run.sh start it)');
    const order = await placeOrder(brand, outlet.id, [kopi]);
    const qris = await pay(order, { method: 'qris', amount_minor: order.total_minor });
    assert.equal(qris.status, 'pending');
    await page.goto(`/admin/orders/${order.id}`);
    await page.waitForSelector('#live[data-live="open"]');
    const row = page.locator(`#payment-${qris.id}`);
    assert.equal(await row.getAttribute('data-status'), 'pending');
    assert.equal(await row.locator('details.refund').count(), 0, 'nothing to refund yet');

    // The customer pays: the stand-in notifies the server, the page follows.
    const paid = await fetch(`${gateway}/_standin/charges/pay-${qris.id}/pay`, { method: 'POST' });
    assert.ok(paid.ok, `stand-in: ${paid.status}`);
    await page.waitForSelector(`#payment-${qris.id}[data-status=paid]`, { timeout: 5000 });
    assert.equal(await page.textContent('#order-payment-status'), 'Lunas');
    assert.match(await page.textContent(`#payment-${qris.id} .gateway-ref`), /\S/);

    const res = await submitRefund(page, qris.id, '7.973', 'Gula terlalu banyak');
    assert.equal(res.status(), 303);
    await page.waitForSelector('.notice');
    assert.equal(await page.textContent('.notice'), 'Pengembalian dana dicatat.');
    const refund = page.locator('#refunds tbody tr');
    assert.match(await refund.textContent(), /QRIS[\s\S]*Gula terlalu banyak[\s\S]*Berhasil[\s\S]*Rp 7\.973/);
    assert.equal(await page.textContent('#order-payment-status'), 'Dikembalikan sebagian');
    assert.match(await page.textContent(`#refund-max-${qris.id}`), /Rp 20\.000/);
    const charges = await (await fetch(`${gateway}/_standin/charges`)).json();
    const charge = charges.charges.find((c) => c.order_id === `pay-${qris.id}`);
    assert.ok(JSON.stringify(charge).includes('7973'), `the stand-in refunded 7973: ${JSON.stringify(charge)}`);
    await screenshots(page, 'payments-qris-refund');
    assertClean(problems);
  });

  test('the receipt opens from the order page, in both languages and 58 mm', async () => {
    const { page, context, problems } = browser;
    await page.goto(`/admin/orders/${orders.partRefund.id}`);
    const [receipt] = await Promise.all([context.waitForEvent('page'), page.click('#receipt-link')]);
    const seen = watch(receipt);
    await receipt.waitForLoadState();
    assert.equal(new URL(receipt.url()).pathname, `/admin/orders/${orders.partRefund.id}/receipt`);
    const text = await receipt.textContent('body');
    assert.match(text, /Kopi Bayar Senopati/);
    assert.match(text, /Kopi Oat/);
    assert.match(text, /Rp 27\.973/);
    assert.match(text, /Es kurang dingin|Rp 5\.000/, 'the refund is on it');
    await receipt.click('button');
    await receipt.close();
    assert.deepEqual(seen.errors, [], 'no CSP violation on the receipt');

    const en = await context.newPage();
    const seenEn = watch(en);
    await en.goto(`/admin/orders/${orders.partRefund.id}/receipt?lang=en&width=58`);
    assert.equal(await en.getAttribute('html', 'lang'), 'en');
    await en.close();
    assert.deepEqual(seenEn.errors, []);
    assert.equal(await page.getAttribute('#receipt-other', 'href'), `/admin/orders/${orders.partRefund.id}/receipt?lang=en`);
    assertClean(problems);
  });
});
