// Staff PINs from the admin: an owner sets a cashier's or manager's PIN on
// the staff page (4 to 6 digits, refused inline otherwise, never shown or
// sent back), the list marks who has one, an empty field keeps it, and the
// PIN set here is the one a manager approves a cashier's refund with.

import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertClean, createMenuItem, createOutlet, launch, PASSWORD, placeOrder, screenshots, setLanguage, signIn,
  signUpBrand, sqlAsOwner, uniqueEmail,
} from './helpers.js';

describe('staff PINs', () => {
  let browser;
  let brand;
  let outlet;
  let manager;
  let cashier;

  const pinHash = (user) => sqlAsOwner(brand.tenantId, `SELECT coalesce(pin_hash, '') FROM users WHERE id = '${user.id}';`).trim();

  async function save(page) {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('#staff-form button[type=submit]'),
    ]);
    return res;
  }

  before(async () => {
    brand = await signUpBrand('Kopi PIN');
    outlet = await createOutlet(brand, 'Kopi PIN Menteng');
    const make = async (role, name) => (await api('POST', '/users', {
      token: brand.token,
      body: { email: uniqueEmail(role), name, password: PASSWORD, role, outlet_ids: [outlet.id] },
    })).json;
    manager = await make('manager', 'Pak Manajer');
    cashier = await make('cashier', 'Mbak Kasir');
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  test('a PIN that is not 4 to 6 digits is refused inline and never echoed', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/staff/${manager.id}`);
    assert.equal(await page.textContent('#pin-status'), 'Belum ada PIN');
    await page.evaluate(() => ['pattern', 'minlength', 'maxlength'].forEach((a) => document.querySelector('#f-pin').removeAttribute(a)));
    await page.fill('#f-pin', '12ab');
    assert.equal((await save(page)).status(), 422);
    await page.waitForSelector('#pin-error');
    assert.match(await page.textContent('#pin-error'), /Harus 4 sampai 6 angka/);
    assert.equal(await page.inputValue('#f-pin'), '', 'the PIN typed is not sent back');
    assert.equal(await page.inputValue('#f-name'), 'Pak Manajer');
    assert.ok(!(await page.content()).includes('12ab'));
    await screenshots(page, 'staff-pin-error');

    await setLanguage(page, 'en');
    await page.goto(`/admin/staff/${manager.id}`);
    await page.evaluate(() => ['pattern', 'minlength', 'maxlength'].forEach((a) => document.querySelector('#f-pin').removeAttribute(a)));
    await page.fill('#f-pin', '1234567');
    assert.equal((await save(page)).status(), 422);
    await page.waitForSelector('#pin-error');
    assert.match(await page.textContent('#pin-error'), /must be 4 to 6 digits/);
    assert.match(await page.textContent('#pin-hint'), /No PIN yet/);
    await setLanguage(page, 'id');
    assert.equal(pinHash(manager), '', 'nothing stored');
    assertClean(problems);
  });

  test('an owner sets a PIN; the list marks it; an empty field keeps it', async () => {
    const { page, problems } = browser;
    await page.goto(`/admin/staff/${manager.id}`);
    await page.fill('#f-pin', '482913');
    assert.equal((await save(page)).status(), 303);
    await page.waitForSelector('.notice');
    assert.equal(await page.textContent('.notice'), 'Akun staf disimpan.');
    const row = page.locator(`#staff-${manager.id}`);
    assert.equal(await row.locator('.badge.pin-set').textContent(), 'PIN');
    assert.equal(await page.locator(`#staff-${cashier.id} .badge.pin-set`).count(), 0);
    const hash = pinHash(manager);
    assert.match(hash, /^\$argon2id\$/);
    assert.ok(!hash.includes('482913'));
    assert.equal((await api('GET', `/users/${manager.id}`, { token: brand.token })).json.has_pin, true);

    // Saving the account again with the PIN field empty keeps the PIN.
    await page.goto(`/admin/staff/${manager.id}`);
    assert.match(await page.textContent('#pin-status'), /PIN sudah diatur/);
    assert.equal(await page.inputValue('#f-pin'), '');
    await page.fill('#f-name', 'Pak Manajer Senior');
    await save(page);
    await page.waitForSelector('.notice');
    assert.equal(pinHash(manager), hash, 'the same PIN');

    await page.goto('/admin/audit');
    assert.match(await page.textContent('#audit'), /mengatur PIN staf/);
    assert.ok(!(await page.content()).includes('482913'), 'the PIN is nowhere in the audit log');
    assertClean(problems);
  });

  test('the PIN set in the admin approves a cashier\'s refund', async () => {
    const item = await createMenuItem(brand, { name: 'Teh Tarik', price: 20000 });
    const order = await placeOrder(brand, outlet.id, [item]);
    sqlAsOwner(brand.tenantId, `
      INSERT INTO payments (tenant_id, id, outlet_id, order_id, client_payment_id, payload_hash, method, status, amount_minor, tendered_minor, change_minor, paid_at)
        VALUES ('${brand.tenantId}', gen_random_uuid(), '${outlet.id}', '${order.id}', gen_random_uuid(), '\\x00', 'cash', 'paid', ${order.total_minor}, ${order.total_minor}, 0, now());
      UPDATE orders SET payment_status = 'paid', paid_minor = total_minor, receipt_number = 1, paid_at = now() WHERE id = '${order.id}';`);
    const paymentId = sqlAsOwner(brand.tenantId, `SELECT id FROM payments WHERE order_id = '${order.id}';`).trim();
    const login = await api('POST', '/auth/login', { body: { email: cashier.email, password: PASSWORD } });
    const token = login.json.access_token;
    const refund = (pin) => api('POST', `/payments/${paymentId}/refunds`, {
      token,
      expect: [201, 403, 422],
      body: { client_refund_id: randomUUID(), amount_minor: 1000, reason: 'Salah pesan', approval: { approver_id: manager.id, pin } },
    });
    assert.equal((await refund('000000')).status, 403, 'a wrong PIN approves nothing');
    const done = await refund('482913');
    assert.equal(done.status, 201);
    assert.equal(done.json.approved_by, manager.id);

    const { page, problems } = browser;
    await page.goto(`/admin/orders/${order.id}`);
    const row = page.locator('#refunds tbody tr');
    assert.match(await row.textContent(), /Mbak Kasir[\s\S]*disetujui Pak Manajer Senior/);
    assertClean(problems);
  });
});
