// Shared set-up of the browser tests: Debian's Chromium through
// playwright-core (never a downloaded browser), a fresh profile per run, a
// brand of our own per test file (made through the public sign-up API), and
// screenshots for people to look at.

import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
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

/** Full-page screenshots at desktop and phone width. */
export async function screenshots(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
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
