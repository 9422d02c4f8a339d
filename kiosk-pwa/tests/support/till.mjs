// What a cashier does at the till (/pos/), as test steps, and a look at
// what the API does not show (who sold an order) straight in the database.

import { execFileSync } from "node:child_process";

import { Device, allOrders, pairingCode } from "./harness.mjs";

/** Creates a cashier (or `role`) of `outletId` with `pin`; returns the user. */
export async function cashier(owner, outletId, name, pin, role = "cashier") {
  const email = `${name.toLowerCase().replace(/\W+/g, "-")}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@kiosk-tests.example`;
  const user = await owner.post("/api/v1/users", {
    email,
    name,
    password: "cashier-password-1",
    role,
    outlet_ids: [outletId],
  });
  await owner.patch(`/api/v1/users/${user.id}`, { pin });
  return user;
}

/** The outlet's counter orders (those sold at a till). */
export async function counterOrders(owner, outletId) {
  return (await allOrders(owner, outletId)).filter((o) => o.channel === "counter");
}

/** From the staff list: tap `name`, type `pin`, sign in (to order entry, or to "open the shift" without one). */
export async function signIn(page, name, pin) {
  await page.locator(".staff-choice", { hasText: name }).click();
  await page.locator("#till-pin").fill(pin);
  await page.locator(".sign-in-button").click();
  await page.locator(".till-order, .open-shift").first().waitFor({ timeout: 15000 });
}

/** A browser paired as a till of `outletId`, showing its staff to sign in. */
export async function pairTill(base, owner, outletId, name) {
  const till = new Device(name);
  await till.launch();
  const code = await pairingCode(owner, outletId, "till");
  await till.page.goto(`${base}/pos/?pair=${encodeURIComponent(code)}`);
  await till.page.locator(".till-sign-in .staff-choice").first().waitFor({ timeout: 20000 });
  return till;
}

/** Finds `name` by typing it in the search and adds it (items without options go straight in). */
export async function addBySearch(page, name) {
  await page.locator(".till-search").fill(name.toLowerCase());
  await page.locator(".search-results .item-card", { hasText: name }).first().click();
  await page.locator(".till-search").fill("");
}

/** Charge: pays with the quick tender of `amount` (rupiah), completes; returns the change shown. */
export async function payCash(page, amount) {
  await page.locator(".checkout-button").click();
  await page.locator(".payment-panel").waitFor();
  await page.locator(`.tender-button[data-amount="${amount}"]`).click();
  await page.locator('.left-to-pay[data-minor="0"]').waitFor();
  await page.locator(".complete-sale").click();
  await page.locator(".sale-done").waitFor({ timeout: 15000 });
  return Number(await page.locator(".sale-done .change-due").getAttribute("data-minor"));
}

/** The tenant id in a staff access token. */
export function tenantOf(token) {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).tid;
}

/** Rows of `sql` (tab-separated lines) as the owner role, scoped to `tenantId`. */
export function sql(tenantId, query) {
  const url = process.env.POS_OWNER_DATABASE_URL;
  const script = `BEGIN;\nSELECT set_config('app.tenant_id', '${tenantId}', true), set_config('app.outlet_ids', '*', true) \\g /dev/null\n${query};\nCOMMIT;\n`;
  const out = execFileSync("psql", [url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"], { input: script }).toString();
  return out.split("\n").filter((l) => l && l !== "BEGIN" && l !== "COMMIT");
}

/** Opens the till's shift with the quick float of `float` (rupiah); selling shows. */
export async function openShift(page, float) {
  await page.locator(".open-shift").waitFor({ timeout: 15000 });
  await page.locator(`.quick-float[data-minor="${float}"]`).click();
  // As a cashier would: press "open" once the field shows the float (on a
  // loaded machine the click's effect can lag behind the next click).
  await page.waitForFunction((v) => document.querySelector(".shift-amount")?.value === v, String(float));
  await page.locator(".open-shift-button").click();
  await page.locator(".shift-bar").waitFor({ timeout: 30000 });
}

/** The signed-in cashier's till-bound token, as the till keeps it. */
export async function cashierToken(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem("pos.till.cashier")).token);
}
