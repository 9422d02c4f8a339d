// What a customer or cook does on the screens, as test steps.

export const STAFF_PIN = "2468";

/** Right after pairing a kiosk: choose the staff PIN (twice). */
export async function setStaffPin(page, pin = STAFF_PIN) {
  await page.locator(".set-pin #pin-input").waitFor();
  await page.locator("#pin-input").fill(pin);
  await page.getByText(/Ulangi PIN|Repeat the PIN/).waitFor();
  await page.locator("#pin-input").fill(pin);
  await page.locator(".welcome").waitFor();
}

/** Pairs a kiosk through `?pair=` and sets its PIN; ends on the welcome screen. */
export async function pairKiosk(page, base, code) {
  await page.goto(`${base}/kiosk/?pair=${encodeURIComponent(code)}`);
  await setStaffPin(page);
  await page.locator(".start-button").waitFor({ timeout: 15000 });
}

/** Pairs a kitchen display by typing its code. */
export async function pairKds(page, base, code, path = "/kds/") {
  await page.goto(`${base}${path}`);
  await page.locator("#pairing-code").fill(code);
  await page.locator(".pairing button[type=submit]").click();
  await page.locator('.kds-main[data-loaded="true"], .board-main').first().waitFor({ timeout: 15000 });
}

export async function startOrder(page) {
  await page.locator(".start-button").click();
  await page.locator(".item-card").first().waitFor();
}

/** Opens an item, picks `options` (by name), sets `qty`, adds it to the cart. */
export async function addItem(page, name, { options = [], qty = 1, category } = {}) {
  if (category) await page.locator(".category-tab", { hasText: category }).click();
  await page.locator(".item-card", { hasText: name }).click();
  const sheet = page.locator(".item-sheet");
  await sheet.waitFor();
  for (const option of options) {
    await sheet.locator(".option", { has: page.locator(".option-name", { hasText: new RegExp(`^${option}$`) }) }).click();
  }
  for (let i = 1; i < qty; i++) await sheet.locator(".stepper button").nth(1).click();
  await sheet.locator(".add-to-order").click();
  await sheet.waitFor({ state: "detached" });
}

/** Checkout with a name, pay at the counter; returns the pickup number shown. */
export async function placeOrder(page, customer = "Budi") {
  await page.locator(".checkout-button").click();
  await page.locator("#pickup-name").fill(customer);
  await page.locator(".place-order").click();
  await page.locator(".confirmation .pickup-number").waitFor();
  return (await page.locator(".pickup-number").textContent()).trim();
}

/** From the confirmation back to a fresh order. */
export async function newOrder(page) {
  await page.locator(".new-order").click();
  await page.locator(".start-button").waitFor();
}
