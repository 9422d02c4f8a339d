// Staff invitations and password resets by mail: an owner invites a manager
// without typing a password; the mail reaches the SMTP sink (the test
// command's aiosmtpd, its maildir in POS_TEST_MAILDIR); its link opens the
// page that sets the password, once; the manager signs in with it. "Forgot
// password" answers the same for any address and mails a working link. A
// new brand's owner confirms their email through the mailed link, once.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClean, createOutlet, launch, screenshots, signIn, signUpBrand, uniqueEmail } from './helpers.js';

const MAILDIR = process.env.POS_TEST_MAILDIR;

/** Quoted-printable undone: soft line breaks and =XX bytes. */
function unquote(raw) {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

/** The set-password (or `path`) link of the newest mail to `to`, waiting up to 15 s. */
async function linkMailedTo(to, { count = 1, path = '/admin/password/set' } = {}) {
  for (let i = 0; i < 150; i += 1) {
    const dir = join(MAILDIR, 'new');
    const mails = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .filter((m) => m.split(/\r?\n/).some((l) => /^to:/i.test(l) && l.includes(to)));
    if (mails.length >= count) {
      const pattern = new RegExp(`https?://[^\\s"<>]+${path}\\?token=[A-Za-z0-9_-]+(&(amp;)?lang=\\w+)?`);
      const found = unquote(mails.at(-1)).match(pattern);
      assert.ok(found, `a ${path} link in the mail`);
      return found[0].replace('&amp;', '&');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to}`);
}

describe('invitations and password resets by mail', { skip: !MAILDIR && 'POS_TEST_MAILDIR is not set' }, () => {
  let browser;
  let brand;
  let outlet;
  const managerEmail = uniqueEmail('invited');

  before(async () => {
    brand = await signUpBrand('Kopi Undangan');
    outlet = await createOutlet(brand, 'Kopi Undangan Menteng');
    browser = await launch();
    await signIn(browser.page, brand.email);
  });
  after(async () => browser?.close());

  test('an invited manager sets a password through the mailed link, once, and signs in', async () => {
    const { page, problems } = browser;
    await page.goto('/admin/staff/new');
    await page.fill('#f-name', 'Bu Undangan');
    await page.fill('#f-email', managerEmail);
    await page.selectOption('#f-role', 'manager');
    await page.check(`input[name=outlet_ids][value="${outlet.id}"]`);
    await page.click('#staff-form button[type=submit]');
    await page.waitForSelector('.notice');

    const link = await linkMailedTo(managerEmail);
    // The invited manager, in a browser of their own.
    const own = await launch();
    const p = own.page;
    await p.goto(link);
    assert.equal(await p.textContent('h1'), 'Pilih kata sandi');
    await p.fill('#f-password', 'sandi-baru-ku');
    await p.fill('#f-confirm', 'sandi-lain-ku');
    await p.click('button[type=submit]');
    await p.waitForSelector('#confirm-error');
    await p.fill('#f-password', 'sandi-baru-ku');
    await p.fill('#f-confirm', 'sandi-baru-ku');
    await p.click('button[type=submit]');
    await p.waitForSelector('#password-done');
    await screenshots(p, 'invitation-password-set');
    await signIn(p, managerEmail, 'sandi-baru-ku');
    assert.match(await p.textContent('body'), /Bu Undangan|Kopi Undangan/);

    // The link works once.
    await p.goto(link);
    await p.fill('#f-password', 'sandi-ketiga-ku');
    await p.fill('#f-confirm', 'sandi-ketiga-ku');
    await p.click('button[type=submit]');
    await p.waitForSelector('#password-message');
    assert.match(await p.textContent('#password-message'), /sudah dipakai/);
    await own.close();
    assertClean(problems);
  });

  test('"forgot password" answers the same for anyone and mails a link that works', async () => {
    const own = await launch();
    const p = own.page;
    await p.goto('/admin/login?lang=en');
    await p.click('#forgot-password');
    await p.fill('#f-email', uniqueEmail('nobody'));
    await p.click('button[type=submit]');
    const unknown = await p.textContent('#password-sent');
    await p.goto('/admin/password/forgot?lang=en');
    await p.fill('#f-email', managerEmail);
    await p.click('button[type=submit]');
    assert.equal(await p.textContent('#password-sent'), unknown);

    const link = await linkMailedTo(managerEmail, { count: 2 });
    await p.goto(link);
    await p.fill('#f-password', 'a fresh password');
    await p.fill('#f-confirm', 'a fresh password');
    await p.click('button[type=submit]');
    await p.waitForSelector('#password-done');
    await signIn(p, managerEmail, 'a fresh password');
    await own.close();
  });

  test('a new owner confirms their email through the mailed link, once', async () => {
    const own = await launch();
    const p = own.page;
    const link = await linkMailedTo(brand.email, { path: '/admin/verify-email' });
    await p.goto(link);
    assert.equal(await p.textContent('h1'), 'Konfirmasi email');
    await p.click('#verify-submit');
    await p.waitForSelector('#verify-done');
    await screenshots(p, 'email-verified');
    await p.goto(link);
    await p.click('#verify-submit');
    await p.waitForSelector('#password-message');
    assert.match(await p.textContent('#password-message'), /sudah dipakai/);
    assertClean(own.problems);
    await own.close();
  });
});
