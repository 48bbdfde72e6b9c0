// Opening Ardoise pages in fresh browser contexts, collecting the errors they throw.
import { expect } from "@playwright/test";

/** Uncaught errors of every page opened with these helpers; each spec checks it after a test. */
export const pageErrors = [];

/** A new browser context (its own storage: a different person) and a page in it. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  return page;
}

/** Opens a board and waits until the app is live (hydrated and synced). */
export async function openBoard(browser, server, path, options = {}) {
  const page = await newPage(browser, options);
  await page.goto(server.url + path);
  await expect(page.locator(".status-ok")).toBeVisible();
  return page;
}
