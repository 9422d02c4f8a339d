// Staff: create with outlet assignment, validation inline with values
// (and ticked outlets) kept, deactivate in place, and a manager who then
// sees only their outlet.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertClean, createOutlet, htmxSettled, launch, PASSWORD, screenshots, signIn, signUpBrand,
  uniqueEmail,
} from './helpers.js';

describe('staff', () => {
  let browser;
  let brand;
  let outletA;
  let outletB;
  const managerEmail = uniqueEmail('manager');

  before(async () => {
    brand = await signUpBrand('Kopi Staf');
    outletA = await createOutlet(brand, 'Outlet Menteng');
    outletB = await createOutlet(brand, 'Outlet Tebet');
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  test('a short password is refused inline; name, email and outlets are kept', async () => {
    const { page, problems } = browser;
    await page.click('nav a[href="/admin/staff"]');
    await page.waitForURL('**/admin/staff');
    await page.click('a[href="/admin/staff/new"]');
    await page.waitForSelector('#staff-form');
    await page.fill('#f-name', 'Mbak Manajer');
    await page.fill('#f-email', managerEmail);
    await page.fill('#f-password', 'short');
    await page.selectOption('#f-role', 'manager');
    await page.check(`input[name=outlet_ids][value="${outletA.id}"]`);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('#staff-form button[type=submit]'),
    ]);
    assert.equal(res.status(), 422);
    await page.waitForSelector('#password-error');
    assert.match(await page.textContent('#password-error'), /Paling sedikit 8 karakter/);
    assert.equal(await page.inputValue('#f-name'), 'Mbak Manajer');
    assert.equal(await page.inputValue('#f-email'), managerEmail);
    assert.equal(await page.inputValue('#f-role'), 'manager');
    assert.equal(await page.isChecked(`input[name=outlet_ids][value="${outletA.id}"]`), true);
    assert.equal(await page.isChecked(`input[name=outlet_ids][value="${outletB.id}"]`), false);
    await screenshots(page, 'staff-form-errors');
    assertClean(problems);
  });

  test('a manager is created with one outlet', async () => {
    const { page } = browser;
    await page.fill('#f-password', PASSWORD);
    await page.click('#staff-form button[type=submit]');
    await page.waitForSelector('.notice');
    assert.equal(await page.textContent('.notice'), 'Akun staf dibuat.');
    const row = page.locator('#staff tbody tr', { hasText: managerEmail });
    const text = await row.textContent();
    assert.match(text, /Manajer/);
    assert.match(text, /Outlet Menteng/);
    assert.doesNotMatch(text, /Outlet Tebet/);
    const { json } = await api('GET', '/users', { token: brand.token });
    const manager = json.items.find((u) => u.email === managerEmail);
    assert.deepEqual(manager.outlet_ids, [outletA.id]);
    assert.equal(manager.role, 'manager');
    await screenshots(page, 'staff-list');
  });

  test('roles and outlets can be changed on the edit page', async () => {
    const { page } = browser;
    await page.locator('#staff tbody tr', { hasText: managerEmail }).locator('td.actions a').click();
    await page.waitForSelector('#staff-form');
    assert.equal(await page.inputValue('#f-password'), '');
    await page.check(`input[name=outlet_ids][value="${outletB.id}"]`);
    await page.click('#staff-form button[type=submit]');
    await page.waitForSelector('.notice');
    const row = page.locator('#staff tbody tr', { hasText: managerEmail });
    assert.match(await row.textContent(), /Outlet Menteng, Outlet Tebet|Outlet Tebet, Outlet Menteng/);
    // Back to one outlet for the manager's own view below.
    await row.locator('td.actions a').click();
    await page.waitForSelector('#staff-form');
    await page.uncheck(`input[name=outlet_ids][value="${outletB.id}"]`);
    await page.click('#staff-form button[type=submit]');
    await page.waitForSelector('.notice');
  });

  test('deactivating and activating swap the row in place', async () => {
    const { page, problems } = browser;
    const row = page.locator('#staff tbody tr', { hasText: managerEmail });
    const rowId = await row.getAttribute('id');
    await row.locator('button.toggle').click();
    await page.waitForSelector(`#${rowId}.inactive button.toggle.off`);
    assert.equal(await page.textContent(`#${rowId} button.toggle`), 'Nonaktif');
    await page.click(`#${rowId} button.toggle`);
    await page.waitForSelector(`#${rowId}:not(.inactive) button.toggle.on`);
    await htmxSettled(page);
    // The owner's own row has no switch: nobody deactivates themselves here.
    const own = page.locator('#staff tbody tr', { hasText: brand.email });
    assert.equal(await own.locator('button.toggle').count(), 0);
    assertClean(problems);
  });

  test('an account can be deleted from its page', async () => {
    const { page, problems } = browser;
    const email = uniqueEmail('kitchen');
    await api('POST', '/users', {
      token: brand.token,
      body: { email, name: 'Mas Dapur', password: PASSWORD, role: 'kitchen', outlet_ids: [outletB.id] },
    });
    await page.goto('/admin/staff');
    await page.locator('#staff tbody tr', { hasText: email }).locator('td.actions a').click();
    await page.waitForSelector('#staff-form');
    assert.equal(await page.isChecked(`input[name=outlet_ids][value="${outletB.id}"]`), true);
    await page.click('details.danger-zone summary');
    await page.click('details.danger-zone button.danger');
    await page.waitForSelector('.notice');
    assert.equal(await page.textContent('.notice'), 'Akun staf dihapus.');
    assert.equal(await page.locator('#staff tbody tr', { hasText: email }).count(), 0);
    assertClean(problems);
  });

  test('the manager sees only their outlet and no owner pages', async () => {
    const { page, problems } = browser;
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/admin/login'),
      page.click('header button.link'),
    ]);
    await signIn(page, managerEmail);
    assert.equal(await page.locator('nav a[href="/admin/audit"]').count(), 0);
    assert.equal(await page.locator('nav a[href="/admin/brand"]').count(), 0);
    await page.click('nav a[href="/admin/outlets"]');
    await page.waitForURL('**/admin/outlets');
    const names = await page.locator('#outlets a.strong').allTextContents();
    assert.deepEqual(names, ['Outlet Menteng']);
    assert.equal(await page.locator('a[href="/admin/outlets/new"]').count(), 0);
    await page.goto(`/admin/outlets/${outletB.id}`);
    assert.match(await page.textContent('#error-message'), /tidak ditemukan/);
    await page.goto('/admin/audit');
    assert.match(await page.textContent('#error-message'), /tidak diizinkan/);
    await page.goto('/admin/staff/new');
    const roles = await page.locator('#f-role option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(roles, ['cashier', 'kitchen']);
    await screenshots(page, 'manager-staff-form');
    assertClean(problems);
  });

  test('a manager sees, but cannot change, someone who also works elsewhere', async () => {
    const { page, problems } = browser; // still the manager of Outlet Menteng only
    const email = uniqueEmail('shared');
    const { json: cook } = await api('POST', '/users', {
      token: brand.token,
      body: { email, name: 'Mas Bersama', password: PASSWORD, role: 'kitchen', outlet_ids: [outletA.id, outletB.id] },
    });
    await page.goto('/admin/staff');
    const row = page.locator('#staff tbody tr', { hasText: email });
    assert.match(await row.textContent(), /Outlet Menteng/);
    assert.doesNotMatch(await row.textContent(), /Outlet Tebet/);
    assert.equal(await row.locator('td.actions a').count(), 0, 'no edit link');
    assert.equal(await row.locator('button.toggle').count(), 0, 'no switch');
    const token = await page.inputValue('header input[name=csrf_token]');
    await screenshots(page, 'manager-staff-shared');
    // Asking anyway is refused, and nothing changes.
    const edit = await page.goto(`/admin/staff/${cook.id}`);
    assert.equal(edit.status(), 403);
    for (const [path, form] of [
      [`/admin/staff/${cook.id}/active`, { active: 'false' }],
      [`/admin/staff/${cook.id}`, { email, name: 'Diambil alih', password: 'taken-over-pw', role: 'kitchen', outlet_ids: outletA.id }],
      [`/admin/staff/${cook.id}/delete`, {}],
    ]) {
      const res = await page.request.post(path, { form: { csrf_token: token, ...form }, maxRedirects: 0 });
      assert.equal(res.status(), 403, path);
    }
    const { json: after } = await api('GET', `/users/${cook.id}`, { token: brand.token });
    assert.equal(after.active, true);
    assert.equal(after.name, 'Mas Bersama');
    assert.deepEqual([...after.outlet_ids].sort(), [outletA.id, outletB.id].sort());
    await api('POST', '/auth/login', { body: { email, password: PASSWORD } });
    assertClean(problems);
  });
});
