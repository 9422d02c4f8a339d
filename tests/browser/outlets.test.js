// Outlets: create, validation errors inline with the typed values kept,
// the open/closed toggle, editing rates as percent, markup shown as text,
// the payment settings (cash rounding, when kiosk orders reach the kitchen,
// the tax number), and the audit log of it all.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertClean, htmxSettled, launch, screenshots, setLanguage, signIn, signUpBrand,
} from './helpers.js';

describe('outlets', () => {
  let browser;
  let brand;

  before(async () => {
    brand = await signUpBrand('Kopi Outlet');
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  test('an owner creates an outlet', async () => {
    const { page, problems } = browser;
    await page.click('nav a[href="/admin/outlets"]');
    await page.waitForURL('**/admin/outlets');
    assert.match(await page.textContent('main'), /Belum ada outlet/);
    await page.click('a[href="/admin/outlets/new"]');
    await page.waitForSelector('#outlet-form');
    await page.fill('#f-name', 'Kopi Senja Kemang');
    await page.fill('#f-address', 'Jl. Kemang Raya 10, Jakarta Selatan');
    await page.fill('#f-timezone', 'Asia/Jakarta');
    await page.fill('#f-tax', '11');
    await page.fill('#f-service', '5');
    await page.click('#outlet-form button[type=submit]');
    await page.waitForSelector('.notice');
    assert.equal(new URL(page.url()).pathname, '/admin/outlets');
    assert.equal(await page.textContent('.notice'), 'Outlet dibuat.');
    const row = page.locator('#outlets tbody tr', { hasText: 'Kopi Senja Kemang' });
    assert.equal(await row.count(), 1);
    const text = await row.textContent();
    assert.match(text, /11%/);
    assert.match(text, /5%/);
    assert.match(text, /Asia\/Jakarta/);
    const { json } = await api('GET', '/outlets', { token: brand.token });
    const saved = json.items.find((o) => o.name === 'Kopi Senja Kemang');
    assert.equal(saved.tax_rate_bp, 1100);
    assert.equal(saved.service_charge_bp, 500);
    await screenshots(page, 'outlets-list');
    assertClean(problems);
  });

  test('validation errors show next to their field and keep what was typed', async () => {
    const { page, problems } = browser;
    await page.goto('/admin/outlets/new');
    await page.fill('#f-name', 'Kopi Senja Blok M');
    await page.fill('#f-address', 'Jl. Melawai 3');
    await page.fill('#f-tax', '150');
    await page.fill('#f-service', '2,5');
    const [first] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('#outlet-form button[type=submit]'),
    ]);
    assert.equal(first.status(), 422);
    await page.waitForSelector('#tax_percent-error');
    assert.match(await page.textContent('#tax_percent-error'), /antara 0% dan 100%/);
    assert.equal(await page.getAttribute('#f-tax', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#f-name'), 'Kopi Senja Blok M');
    assert.equal(await page.inputValue('#f-address'), 'Jl. Melawai 3');
    assert.equal(await page.inputValue('#f-tax'), '150');
    assert.equal(await page.inputValue('#f-service'), '2,5');
    assert.equal(await page.locator('#service_percent-error').count(), 0);

    // The domain's own checks (time zone) come back the same way.
    await page.fill('#f-tax', '11');
    await page.fill('#f-timezone', 'Mars/Olympus_Mons');
    const [second] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('#outlet-form button[type=submit]'),
    ]);
    assert.equal(second.status(), 422);
    await page.waitForSelector('#timezone-error');
    assert.match(await page.textContent('#timezone-error'), /zona waktu/);
    assert.equal(await page.inputValue('#f-timezone'), 'Mars/Olympus_Mons');
    assert.equal(await page.inputValue('#f-name'), 'Kopi Senja Blok M');
    assert.equal(await page.locator('#tax_percent-error').count(), 0);
    await screenshots(page, 'outlet-form-errors');

    await page.fill('#f-timezone', 'Asia/Jakarta');
    await page.click('#outlet-form button[type=submit]');
    await page.waitForSelector('.notice');
    const row = page.locator('#outlets tbody tr', { hasText: 'Kopi Senja Blok M' });
    assert.match(await row.textContent(), /2\.5%/);
    assertClean(problems);
  });

  test('the open/closed switch updates its row in place', async () => {
    const { page, problems } = browser;
    await page.goto('/admin/outlets');
    const row = page.locator('#outlets tbody tr', { hasText: 'Kopi Senja Kemang' });
    const rowId = await row.getAttribute('id');
    await page.evaluate(() => { window.__samePage = true; });
    await row.locator('button.toggle').click();
    await page.waitForSelector(`#${rowId} button.toggle.off`);
    assert.equal(await page.textContent(`#${rowId} button.toggle`), 'Tutup');
    assert.equal(await page.evaluate(() => window.__samePage), true, 'no page load');
    await page.click(`#${rowId} button.toggle`);
    await page.waitForSelector(`#${rowId} button.toggle.on`);
    await htmxSettled(page);
    const { json } = await api('GET', `/outlets/${rowId.replace('outlet-', '')}`, { token: brand.token });
    assert.equal(json.is_open, true);
    assertClean(problems);
  });

  test('editing keeps the rates as percentages', async () => {
    const { page } = browser;
    await page.goto('/admin/outlets');
    await page.locator('#outlets tbody tr', { hasText: 'Kopi Senja Kemang' }).locator('a.strong').click();
    await page.waitForSelector('#outlet-form');
    assert.equal(await page.inputValue('#f-tax'), '11');
    await page.fill('#f-tax', '10.5');
    await page.click('#outlet-form button[type=submit]');
    await page.waitForSelector('.notice');
    assert.equal(await page.textContent('.notice'), 'Outlet disimpan.');
    const row = page.locator('#outlets tbody tr', { hasText: 'Kopi Senja Kemang' });
    assert.match(await row.textContent(), /10\.5%/);
  });

  test('markup in a name is shown as text and never runs', async () => {
    const { page, problems } = browser;
    const evil = '<script>alert(1)</script>';
    await page.goto('/admin/outlets/new');
    await page.fill('#f-name', evil);
    await page.fill('#f-address', '<img src=x onerror=alert(2)>');
    await page.click('#outlet-form button[type=submit]');
    await page.waitForSelector('.notice');
    const link = page.locator('#outlets a.strong', { hasText: evil });
    assert.equal(await link.count(), 1);
    assert.equal(await link.textContent(), evil);
    await page.reload();
    await page.locator('#outlets a.strong', { hasText: evil }).click();
    await page.waitForSelector('#outlet-form');
    assert.equal(await page.inputValue('#f-name'), evil);
    await page.goto('/admin/devices');
    assert.equal(await page.locator('section h2', { hasText: evil }).count(), 1);
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.textContent).join(''));
    assert.ok(!scripts.includes('alert('), 'no injected script element');
    assert.equal(await page.locator('img[src=x]').count(), 0);
    await page.waitForTimeout(300);
    assertClean(problems);
  });

  test('archiving takes an outlet off the list', async () => {
    const { page, problems } = browser;
    await page.goto('/admin/outlets');
    await page.locator('#outlets a.strong', { hasText: 'Kopi Senja Blok M' }).click();
    await page.waitForSelector('#outlet-form');
    await page.click('details.danger-zone summary');
    await page.click('details.danger-zone button.danger');
    await page.waitForSelector('.notice');
    assert.equal(await page.textContent('.notice'), 'Outlet diarsipkan.');
    assert.equal(await page.locator('#outlets a.strong', { hasText: 'Kopi Senja Blok M' }).count(), 0);
    assertClean(problems);
  });

  test('the audit log shows who did what, with before and after', async () => {
    const { page, problems } = browser;
    await page.click('nav a[href="/admin/audit"]');
    await page.waitForURL('**/admin/audit');
    const entries = page.locator('#audit > li');
    assert.ok((await entries.count()) >= 5);
    const update = entries.filter({ hasText: 'mengubah outlet' }).first();
    assert.match(await update.textContent(), /Ibu Pemilik/);
    assert.match(await update.textContent(), /Kopi Senja Kemang/);
    assert.match(await update.locator('ul.changes').textContent(), /tax_rate_bp: 1100 → 1050/);
    await update.locator('summary').click();
    const panes = update.locator('pre');
    assert.equal(await panes.count(), 2);
    assert.match(await panes.nth(0).textContent(), /"tax_rate_bp": 1100/);
    assert.match(await panes.nth(1).textContent(), /"tax_rate_bp": 1050/);
    await screenshots(page, 'audit-log');
    assertClean(problems);
  });

  test('payment settings: cash rounding step, kitchen release and tax number', async () => {
    const { page, problems } = browser;
    await page.goto('/admin/outlets/new');
    assert.equal(await page.inputValue('#f-tax'), '10', 'new outlets start at PB1 10%');
    assert.equal(await page.inputValue('#f-rounding-step'), '0');
    assert.equal(await page.isChecked('#f-release-on_place'), true);
    const labels = await page.locator('#f-rounding-step option').allTextContents();
    assert.deepEqual(labels, ['Tanpa pembulatan', 'Rp 100', 'Rp 500', 'Rp 1.000']);

    await page.goto('/admin/outlets');
    await page.locator('#outlets tbody tr', { hasText: 'Kopi Senja Kemang' }).locator('a.strong').click();
    await page.waitForSelector('#outlet-form');
    const id = new URL(page.url()).pathname.split('/').pop();
    await page.selectOption('#f-rounding-step', '500');
    await page.check('#f-release-on_paid');
    await page.fill('#f-tax-number', ' 01.234.567.8-012.000 ');
    await page.click('#outlet-form button[type=submit]');
    await page.waitForSelector('.notice');
    let { json } = await api('GET', `/outlets/${id}`, { token: brand.token });
    assert.equal(json.cash_rounding_step, 500);
    assert.equal(json.kiosk_kitchen_release, 'on_paid');
    assert.equal(json.tax_number, '01.234.567.8-012.000');

    await page.goto(`/admin/outlets/${id}`);
    assert.equal(await page.inputValue('#f-rounding-step'), '500');
    assert.equal(await page.isChecked('#f-release-on_paid'), true);
    assert.equal(await page.inputValue('#f-tax-number'), '01.234.567.8-012.000');

    // What a person cannot choose is refused next to its field, in both
    // languages, with everything typed kept and nothing saved.
    const tamper = async () => {
      await page.evaluate(() => {
        document.querySelector('#f-tax-number').removeAttribute('maxlength');
        const odd = document.createElement('option');
        odd.value = '250';
        odd.textContent = '250';
        document.querySelector('#f-rounding-step').append(odd);
        const release = document.querySelector('#f-release-on_place');
        release.value = 'sometimes';
        release.checked = true;
      });
      await page.selectOption('#f-rounding-step', '250');
      await page.fill('#f-tax-number', '9'.repeat(41));
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('#outlet-form button[type=submit]'),
      ]);
      assert.equal(res.status(), 422);
      await page.waitForSelector('#cash_rounding_step-error');
    };
    await tamper();
    assert.match(await page.textContent('#cash_rounding_step-error'), /Harus 0 \(tanpa pembulatan\), 100, 500 atau 1000/);
    assert.match(await page.textContent('#kiosk_kitchen_release-error'), /Pilih salah satu/);
    assert.equal(await page.getAttribute('#f-rounding-step', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#f-tax-number'), '9'.repeat(41));
    // With the choices right, the domain refuses the tax number.
    await page.check('#f-release-on_paid');
    await page.selectOption('#f-rounding-step', '100');
    await page.click('#outlet-form button[type=submit]');
    await page.waitForSelector('#tax_number-error');
    assert.match(await page.textContent('#tax_number-error'), /Paling banyak 40 karakter/);
    assert.equal(await page.locator('#cash_rounding_step-error').count(), 0);
    assert.equal(await page.inputValue('#f-rounding-step'), '100');
    await screenshots(page, 'outlet-payment-settings-errors');

    await setLanguage(page, 'en');
    await page.goto(`/admin/outlets/${id}`);
    assert.match(await page.textContent('#outlet-form'), /Cash rounding/);
    assert.match(await page.textContent('#outlet-form'), /Kiosk orders reach the kitchen/);
    await tamper();
    assert.match(await page.textContent('#cash_rounding_step-error'), /must be 0 \(no rounding\), 100, 500 or 1000/);
    assert.match(await page.textContent('#kiosk_kitchen_release-error'), /Choose one of the options/);
    ({ json } = await api('GET', `/outlets/${id}`, { token: brand.token }));
    assert.equal(json.cash_rounding_step, 500, 'nothing saved');
    assert.equal(json.tax_number, '01.234.567.8-012.000');

    // Back to sane values; an empty tax number clears it.
    await page.goto(`/admin/outlets/${id}`);
    await page.selectOption('#f-rounding-step', '1000');
    await page.check('#f-release-on_place');
    await page.fill('#f-tax-number', '');
    await page.click('#outlet-form button[type=submit]');
    await page.waitForSelector('.notice');
    assert.equal(await page.textContent('.notice'), 'Outlet saved.');
    ({ json } = await api('GET', `/outlets/${id}`, { token: brand.token }));
    assert.equal(json.cash_rounding_step, 1000);
    assert.equal(json.kiosk_kitchen_release, 'on_place');
    assert.equal(json.tax_number, null);
    await setLanguage(page, 'id');
    assertClean(problems);
  });
});
