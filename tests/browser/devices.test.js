// Devices: create a kiosk, read its pairing code off the page, pair it
// through the API, see it paired, revoke it (row swapped in place), and
// the device is locked out.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertClean, createOutlet, launch, screenshots, signIn, signUpBrand,
} from './helpers.js';

describe('devices', () => {
  let browser;
  let brand;
  let outlet;
  let pairingCode;
  let deviceToken;

  before(async () => {
    brand = await signUpBrand('Kopi Perangkat');
    outlet = await createOutlet(brand, 'Outlet Sudirman');
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  test('creating a kiosk shows its pairing code, large and as a QR code', async () => {
    const { page, problems } = browser;
    await page.click('nav a[href="/admin/devices"]');
    await page.waitForURL('**/admin/devices');
    const section = page.locator(`#devices-${outlet.id}`);
    assert.match(await section.textContent(), /Belum ada perangkat/);
    await section.locator('select[name=kind]').selectOption('kiosk');
    await section.locator('input[name=name]').fill('Kiosk depan');
    await section.locator('button[type=submit]').click();
    await page.waitForSelector('#pairing-code');

    pairingCode = await page.getAttribute('#pairing-code', 'data-code');
    assert.match(pairingCode, /^[2-9A-HJ-NP-Z]{8}$/);
    const shown = (await page.textContent('#pairing-code')).trim();
    assert.equal(shown.replace('-', ''), pairingCode);
    const qr = await page.evaluate(() => {
      const img = document.querySelector('img.qr');
      return img && { ok: img.complete && img.naturalWidth > 100, src: img.src.slice(0, 26) };
    });
    assert.deepEqual(qr, { ok: true, src: 'data:image/svg+xml;base64,' });
    assert.match(await page.textContent('.pairing'), /Kiosk depan/);
    assert.match(await page.textContent('.pairing .expiry'), /Berlaku 15 menit/);
    await screenshots(page, 'device-pairing-code');
    assertClean(problems);
  });

  test('the code pairs the device, and the list says so', async () => {
    const { page } = browser;
    const { json } = await api('POST', '/devices/pair', { body: { pairing_code: pairingCode } });
    assert.equal(json.outlet_id, outlet.id);
    assert.equal(json.kind, 'kiosk');
    deviceToken = json.device_token;
    await api('GET', '/devices/me', { token: deviceToken });

    await page.click('.pairing a.button');
    await page.waitForURL(`**/admin/outlets/${outlet.id}/devices`);
    const row = page.locator('table.devices tbody tr', { hasText: 'Kiosk depan' });
    assert.equal(await row.locator('.badge').textContent(), 'Terhubung');
    await screenshots(page, 'devices-list');
  });

  test('revoking swaps the row and locks the device out', async () => {
    const { page, problems } = browser;
    const row = page.locator('table.devices tbody tr', { hasText: 'Kiosk depan' });
    const rowId = await row.getAttribute('id');
    await row.locator('button.danger').click();
    await page.waitForSelector(`#${rowId} .badge.revoked`);
    assert.equal(await page.textContent(`#${rowId} .badge`), 'Dicabut');
    assert.equal(await page.locator(`#${rowId} button`).count(), 0, 'nothing left to revoke');
    await api('GET', '/devices/me', { token: deviceToken, expect: [401] });
    assertClean(problems);
  });

  test('a KDS gets its own code, shown once', async () => {
    const { page } = browser;
    await page.goto(`/admin/outlets/${outlet.id}/devices`);
    await page.selectOption('select[name=kind]', 'kds');
    await page.fill('input[name=name]', 'Dapur utama');
    await page.click('form.inline-form button[type=submit]');
    await page.waitForSelector('#pairing-code');
    const code = await page.getAttribute('#pairing-code', 'data-code');
    assert.notEqual(code, pairingCode);
    assert.match(await page.textContent('.pairing'), /Layar dapur/);
    await page.goto(`/admin/outlets/${outlet.id}/devices`);
    assert.ok(!(await page.content()).includes(code), 'the code is not shown again');
    const row = page.locator('table.devices tbody tr', { hasText: 'Dapur utama' });
    assert.equal(await row.locator('.badge').textContent(), 'Menunggu');
  });

  test('a pickup board gets a code for the board screen, and pairs as a board', async () => {
    const { page } = browser;
    await page.goto(`/admin/outlets/${outlet.id}/devices`);
    await page.selectOption('select[name=kind]', 'board');
    await page.fill('input[name=name]', 'Papan depan');
    await page.click('form.inline-form button[type=submit]');
    await page.waitForSelector('#pairing-code');
    assert.match(await page.textContent('.pairing'), /Papan pengambilan/);
    assert.match(await page.textContent('.pairing code'), /\/kds\/board\/\?pair=/);
    const code = await page.getAttribute('#pairing-code', 'data-code');
    const paired = await api('POST', '/devices/pair', { body: { pairing_code: code } });
    assert.equal(paired.json.kind, 'board');
    await page.goto(`/admin/outlets/${outlet.id}/devices`);
    const row = page.locator('table.devices tbody tr', { hasText: 'Papan depan' });
    assert.equal(await row.locator('.badge').textContent(), 'Terhubung');
    assert.match(await row.textContent(), /Papan pengambilan/);
  });
});
