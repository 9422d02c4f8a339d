// Signing in and out, and the messages a refused sign-in shows.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertClean, BASE_URL, createOutlet, launch, PASSWORD, screenshots, signIn, signUpBrand, uniqueEmail,
} from './helpers.js';

describe('sign in', () => {
  let browser;
  let brand;

  before(async () => {
    brand = await signUpBrand('Kopi Login');
    browser = await launch();
  });
  after(async () => browser?.close());

  test('an admin page without a session goes to the login page and back', async () => {
    const { page } = browser;
    await page.goto('/admin/staff');
    assert.equal(new URL(page.url()).pathname, '/admin/login');
    assert.equal(await page.inputValue('input[name=next]'), '/admin/staff');
    await screenshots(page, 'login');
  });

  test('a wrong password is shown inline and the typed email is kept', async () => {
    const { page } = browser;
    await page.goto('/admin/login');
    await page.fill('#f-email', brand.email);
    await page.fill('#f-password', 'not-the-password');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/admin/login') && r.request().method() === 'POST'),
      page.click('button[type=submit]'),
    ]);
    assert.equal(response.status(), 401);
    await page.waitForSelector('#login-message');
    assert.match(await page.textContent('#login-message'), /Email atau kata sandi salah/);
    assert.equal(await page.inputValue('#f-email'), brand.email);
    assert.equal(await page.inputValue('#f-password'), '', 'the password is never sent back');
    await screenshots(page, 'login-wrong-password');
  });

  test('the right password opens the dashboard; signing out ends the session', async () => {
    const { page, problems } = browser;
    await signIn(page, brand.email);
    assert.match(await page.textContent('h1'), /Selamat datang, Ibu Pemilik/);
    assert.equal(await page.textContent('header .brand'), 'Kopi Login');
    const cookie = (await browser.context.cookies()).find((c) => c.name === '__Host-pos_admin');
    assert.ok(cookie, 'session cookie set (Chromium keeps Secure cookies of http://127.0.0.1)');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.sameSite, 'Lax');
    // Path `/`: the live board's event stream under /api/v1 needs it too.
    assert.equal(cookie.path, '/');
    assert.ok(cookie.expires > Date.now() / 1000, 'kept no longer than the session lives');
    await screenshots(page, 'dashboard');

    await Promise.all([
      page.waitForURL((u) => u.pathname === '/admin/login'),
      page.click('header button.link'),
    ]);
    await page.goto('/admin/outlets');
    assert.equal(new URL(page.url()).pathname, '/admin/login', 'the old session is gone');
    assertClean(problems);
  });

  test('cashiers are told kindly that the admin is not for them', async () => {
    const { page } = browser;
    const outlet = await createOutlet(brand, 'Outlet Kasir');
    const email = uniqueEmail('cashier');
    await api('POST', '/users', {
      token: brand.token,
      body: { email, name: 'Pak Kasir', password: PASSWORD, role: 'cashier', outlet_ids: [outlet.id] },
    });
    await page.goto('/admin/login');
    await page.fill('#f-email', email);
    await page.fill('#f-password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('#login-message');
    assert.match(await page.textContent('#login-message'), /Kasir dan staf dapur memakai kiosk/);
    assert.equal(await page.inputValue('#f-email'), email);
  });

  test('an email that opens two brands gets a brand picker', async () => {
    const { page } = browser;
    const shared = await signUpBrand('Kopi Pertama');
    await api('POST', '/auth/signup', {
      body: { brand_name: 'Teh (Kedua), Bandung', owner_name: 'Ibu Dua', email: shared.email, password: PASSWORD },
    });
    await page.goto('/admin/login');
    await page.fill('#f-email', shared.email);
    await page.fill('#f-password', PASSWORD);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('button[type=submit]'),
    ]);
    assert.equal(res.status(), 409);
    await page.waitForSelector('input[name=tenant_id]');
    const choices = await page.locator('label.choice').allTextContents();
    assert.deepEqual(choices.map((c) => c.trim()).sort(), ['Kopi Pertama', 'Teh (Kedua), Bandung']);
    assert.equal(await page.inputValue('#f-email'), shared.email);
    await screenshots(page, 'login-brand-picker');
    await page.locator('label.choice', { hasText: 'Teh (Kedua)' }).locator('input').check();
    await page.fill('#f-password', PASSWORD);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/admin'),
      page.click('button[type=submit]'),
    ]);
    assert.equal(await page.textContent('header .brand'), 'Teh (Kedua), Bandung');
    await page.click('header button.link');
    await page.waitForURL((u) => u.pathname === '/admin/login');
  });

  test('too many wrong passwords are refused with a wait time', async () => {
    const { page } = browser;
    const target = await signUpBrand('Kopi Terkunci');
    await page.goto('/admin/login');
    const token = await page.inputValue('input[name=csrf_token]');
    for (let i = 0; i < 10; i += 1) {
      const r = await page.request.post('/admin/login', {
        form: { email: target.email, password: `wrong-${i}`, csrf_token: token },
        maxRedirects: 0,
      });
      assert.equal(r.status(), 401);
    }
    await page.goto('/admin/login');
    await page.fill('#f-email', target.email);
    await page.fill('#f-password', PASSWORD);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('button[type=submit]'),
    ]);
    assert.equal(res.status(), 429);
    await page.waitForSelector('#login-message');
    assert.match(await page.textContent('#login-message'), /Terlalu banyak percobaan masuk\. Coba lagi dalam \d+ menit/);
    assert.equal(await page.inputValue('#f-email'), target.email);
  });

  test('another site cannot sign a browser in (login CSRF)', async () => {
    const { page } = browser;
    const attacker = await signUpBrand('Kopi Penyerang');
    // A page of another site (localhost is another site than 127.0.0.1)
    // posts the attacker's credentials to our login form.
    const evil = new URL(BASE_URL);
    evil.hostname = 'localhost';
    await page.goto(new URL('/healthz', evil).href);
    await page.setContent(`<form id="f" method="post" action="${BASE_URL}/admin/login">
      <input name="email" value="${attacker.email}"><input name="password" value="${PASSWORD}">
      <input name="csrf_token" value="guessed"></form>`);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${BASE_URL}/admin/login`),
      page.evaluate(() => document.getElementById('f').submit()),
    ]);
    assert.equal(res.status(), 403);
    await page.waitForSelector('#login-message');
    assert.match(await page.textContent('#login-message'), /Formulir masuk ini sudah kedaluwarsa/);
    const cookies = await browser.context.cookies(BASE_URL);
    assert.equal(cookies.find((c) => c.name === '__Host-pos_admin'), undefined, 'nobody was signed in');
    await page.goto('/admin');
    assert.equal(new URL(page.url()).pathname, '/admin/login');
    // The form it answered with works for the person at the keyboard.
    await page.goto('/admin/login');
    await page.fill('#f-email', attacker.email);
    await page.fill('#f-password', PASSWORD);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/admin'),
      page.click('button[type=submit]'),
    ]);
    await page.click('header button.link');
    await page.waitForURL((u) => u.pathname === '/admin/login');
  });

  test('the login page speaks English on request', async () => {
    const { page } = browser;
    await page.goto('/admin/login?lang=en');
    assert.equal(await page.textContent('h1'), 'Sign in to the admin');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
  });
});
