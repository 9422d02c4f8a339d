// Shared set-up of the browser tests: Debian's Chromium through
// playwright-core (never a downloaded browser), a fresh profile per run, a
// brand of our own per test file (made through the public sign-up API), and
// screenshots for people to look at.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:18081').replace(/\/$/, '');
export const ARTIFACTS = process.env.POS_ARTIFACTS ?? '/tmp/pos-artifacts';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'browser-test-pw';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };

/** Starts Chromium with a throw-away profile; `close()` removes it. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'pos-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: DESKTOP,
    baseURL: BASE_URL,
    locale: 'id-ID',
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = watch(page);
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Collects what should never happen on our pages: script errors, console
 * errors (a CSP violation is one) and dialogs (an `alert` would be XSS).
 */
export function watch(page) {
  const problems = { errors: [], dialogs: [] };
  page.on('pageerror', (e) => problems.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Chromium logs every 4xx document or XHR as "Failed to load resource";
    // the tests expect some (422 forms, 403, 404 pages). Assets are checked below.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      problems.errors.push(`console: ${m.text()}`);
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname.startsWith('/static/')) {
      problems.errors.push(`asset ${r.status()}: ${r.url()}`);
    }
  });
  page.on('dialog', async (d) => {
    problems.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  return problems;
}

let counter = 0;
/** A unique email, so runs never collide. */
export function uniqueEmail(who) {
  counter += 1;
  const stamp = `${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
  return `${who}-${stamp}@browser-test.example`;
}

/** Calls the JSON API; throws with the body on an unexpected status. */
export async function api(method, path, { token, body, expect = [200, 201, 204] } = {}) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!expect.includes(res.status)) {
    throw new Error(`${method} ${path}: ${res.status} ${text}`);
  }
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** A new brand and its owner, through the public sign-up. */
export async function signUpBrand(brandName = 'Kopi Uji') {
  const email = uniqueEmail('owner');
  const { json } = await api('POST', '/auth/signup', {
    body: { brand_name: brandName, owner_name: 'Ibu Pemilik', email, password: PASSWORD },
  });
  return { email, password: PASSWORD, token: json.access_token, tenantId: json.tenant_id };
}

/** An outlet through the API (for tests about something else). */
export async function createOutlet(brand, name) {
  const { json } = await api('POST', '/outlets', { token: brand.token, body: { name } });
  return json;
}

/** Signs in through the login page and waits for the dashboard. */
export async function signIn(page, email, password = PASSWORD) {
  await page.goto('/admin/login');
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/admin' || u.pathname === '/admin/'),
    page.click('button[type=submit]'),
  ]);
}

/** Switches the admin's language (`id` or `en`) with the header's switch. */
export async function setLanguage(page, lang) {
  if ((await page.getAttribute('html', 'lang')) === lang) return;
  await page.click(`header form.lang button[value=${lang}]`);
  await page.waitForSelector(`html[lang=${lang}]`);
}

/**
 * Full-page screenshots at desktop and phone width. `caret: 'initial'`:
 * hiding the caret leaves `style=""` on a focused input, which htmx then
 * copies onto its replacement (a CSP violation our pages never cause).
 */
export async function screenshots(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-desktop.png`), fullPage: true, caret: 'initial' });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-phone.png`), fullPage: true, caret: 'initial' });
  await noHorizontalScroll(page, name);
  await page.setViewportSize(DESKTOP);
}

/** At phone width nothing may stick out sideways. */
export async function noHorizontalScroll(page, name) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client + 1, `${name}: page is ${scroll}px wide at ${client}px`);
}

/** Waits until htmx has no request in flight. */
export async function htmxSettled(page) {
  await page.waitForFunction(() => !document.querySelector('.htmx-request'));
}

export function assertClean(problems) {
  assert.deepEqual(problems.dialogs, [], 'no dialog may open');
  assert.deepEqual(problems.errors, [], 'no script or console error');
}

/** A small solid-colour PNG (for the item photo upload). */
export function solidPng(width = 64, height = 64, [r, g, b] = [200, 120, 40]) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, i) => [r, g, b][i % 3])]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A category and an item with one required modifier group, through the API. */
export async function createMenuItem(brand, { category = 'Minuman', name, price = 25000 } = {}) {
  const cats = await api('GET', '/categories', { token: brand.token });
  const list = Array.isArray(cats.json) ? cats.json : cats.json.items;
  let cat = list.find((c) => c.name === category);
  if (!cat) {
    cat = (await api('POST', '/categories', { token: brand.token, body: { name: category } })).json;
  }
  const { json } = await api('POST', '/menu-items', {
    token: brand.token,
    body: {
      category_id: cat.id,
      name,
      description: '',
      price_minor: price,
      modifier_groups: [{
        name: 'Ukuran', min: 1, max: 1,
        options: [{ name: 'Reguler', price_minor: 0 }, { name: 'Besar', price_minor: 5000 }],
      }],
    },
  });
  return json;
}

/** Places an order through the API (as a cashier at the counter would). */
export async function placeOrder(brand, outletId, items) {
  const { json } = await api('POST', '/orders', {
    token: brand.token,
    body: {
      client_order_id: randomUUID(),
      outlet_id: outletId,
      channel: 'counter',
      created_at_client: new Date().toISOString(),
      items: items.map((item) => ({
        menu_item_id: item.id,
        qty: 1,
        modifier_option_ids: item.modifier_groups.filter((g) => g.min > 0).map((g) => g.options[0].id),
      })),
    },
  });
  return json;
}

/**
 * Runs SQL as the owner role inside one transaction scoped to the brand
 * (RLS is forced on the owner too), for state no API makes yet. Returns
 * psql's unaligned output.
 */
export function sqlAsOwner(tenantId, statements) {
  const url = process.env.POS_OWNER_DATABASE_URL;
  assert.ok(url, 'POS_OWNER_DATABASE_URL is set');
  const script = `BEGIN;
SELECT set_config('app.tenant_id', '${tenantId}', true), set_config('app.outlet_ids', '*', true) \\g /dev/null
${statements}
COMMIT;
`;
  return execFileSync('psql', [url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'], { input: script }).toString();
}
