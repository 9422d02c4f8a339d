// CSRF refusals, the htmx sign-in redirect and the admin's security headers.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, launch, signIn, signUpBrand, screenshots } from './helpers.js';

describe('security', () => {
  let browser;
  let brand;

  before(async () => {
    brand = await signUpBrand('Kopi Aman');
    browser = await launch();
  });
  after(async () => browser?.close());

  test('htmx requests without a session are sent to the login page whole', async () => {
    const res = await browser.page.request.get('/admin/outlets', {
      headers: { 'HX-Request': 'true' },
      maxRedirects: 0,
    });
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['hx-redirect'], '/admin/login?next=%2Fadmin%2Foutlets');
    const plain = await browser.page.request.get('/admin/outlets', { maxRedirects: 0 });
    assert.equal(plain.status(), 303);
  });

  test('a POST without the CSRF token is refused with 403 and changes nothing', async () => {
    const { page } = browser;
    await signIn(page, brand.email);
    const noToken = await page.request.post('/admin/outlets', {
      form: { name: 'Outlet Palsu', timezone: 'Asia/Jakarta', tax_percent: '11', service_percent: '0' },
      maxRedirects: 0,
    });
    assert.equal(noToken.status(), 403);
    const body = await noToken.text();
    assert.match(body, /Permintaan ditolak/);
    assert.match(noToken.headers()['content-type'], /text\/html/);

    const wrongHeader = await page.request.post('/admin/outlets', {
      form: { name: 'Outlet Palsu', timezone: 'Asia/Jakarta', tax_percent: '11', service_percent: '0' },
      headers: { 'X-CSRF-Token': 'not-the-token' },
      maxRedirects: 0,
    });
    assert.equal(wrongHeader.status(), 403);
    const logout = await page.request.post('/admin/logout', { maxRedirects: 0 });
    assert.equal(logout.status(), 403, 'signing out needs the token too');

    const { json } = await api('GET', '/outlets', { token: brand.token });
    assert.equal(json.items.length, 0, 'nothing was created');

    // The same request with the page's token goes through.
    await page.goto('/admin/outlets/new');
    const token = await page.inputValue('#outlet-form input[name=csrf_token]');
    const ok = await page.request.post('/admin/outlets', {
      form: { csrf_token: token, name: 'Outlet Asli', timezone: 'Asia/Jakarta', tax_percent: '11', service_percent: '0' },
      maxRedirects: 0,
    });
    assert.equal(ok.status(), 303);
    const viaHeader = await page.request.post('/admin/outlets', {
      form: { name: 'Outlet Header', timezone: 'Asia/Jakarta', tax_percent: '11', service_percent: '0' },
      headers: { 'X-CSRF-Token': token },
      maxRedirects: 0,
    });
    assert.equal(viaHeader.status(), 303);
    const after = await api('GET', '/outlets', { token: brand.token });
    assert.deepEqual(after.json.items.map((o) => o.name).sort(), ['Outlet Asli', 'Outlet Header']);

    await page.setContent(body);
    await screenshots(page, 'csrf-refused');
  });

  test('admin pages are not cached, not framed and allow no inline script', async () => {
    const res = await browser.page.request.get('/admin');
    const h = res.headers();
    assert.equal(h['cache-control'], 'no-store');
    assert.equal(h['x-frame-options'], 'DENY');
    assert.match(h['content-security-policy'], /script-src 'self'/);
    assert.doesNotMatch(h['content-security-policy'], /unsafe-inline/);
  });

  test('unknown pages and ids get a friendly 404 page', async () => {
    const { page } = browser;
    const res = await page.goto('/admin/outlets/not-a-uuid');
    assert.equal(res.status(), 404);
    assert.match(await page.textContent('#error-message'), /tidak ditemukan/);
    const res2 = await page.goto('/admin/outlets/00000000-0000-7000-8000-000000000000');
    assert.equal(res2.status(), 404);
  });
});
