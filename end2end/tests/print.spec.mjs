// A facilitator prints the board after the workshop (the browser's own print): the page gives the
// post-its column by column, from top to bottom, then those outside the columns, without the
// toolbars, each with who wrote it and its dots.
import { expect, openBoard, test } from "./pages.mjs";

test("a printed board lists its post-its column by column, without the toolbars", async ({ browser, server }) => {
  const board = await server.createBoard("Rétro de sprint");
  const page = await openBoard(browser, server, board.url);
  await page.getByLabel("Votre nom").fill("Alice");
  for (let i = 0; i < 2; i++) await page.getByRole("button", { name: "Ajouter une colonne" }).click();
  await page.locator(".column-heading").nth(0).fill("Bien");
  await page.locator(".column-heading").nth(1).fill("À revoir");
  // Written out of reading order: the lower one of the second column first.
  for (const [x, y, text] of [
    [480, 420, "Tests trop lents"],
    [160, 200, "Entraide"],
    [480, 200, "Réunions longues\nsurtout le lundi"],
    [1100, 200, "Idée en vrac"],
  ]) {
    await page.locator(".board").dblclick({ position: { x, y } });
    await expect(page.locator(".note textarea:focus")).toBeVisible();
    await page.keyboard.type(text);
    await page.keyboard.press("Escape");
  }
  const lent = page.locator('.note[aria-label*="Tests trop lents"]');
  await lent.locator("textarea").focus();
  await lent.getByRole("button", { name: "Ajouter une pastille rouge" }).click();
  await lent.getByRole("button", { name: "Ajouter une pastille rouge" }).click();
  await page.keyboard.press("Escape");

  await page.emulateMedia({ media: "print" });
  for (const bar of [".toolbar", ".tools", ".board"]) await expect(page.locator(bar)).toBeHidden();
  const printed = page.locator(".print-board");
  await expect(printed).toBeVisible();
  await expect(printed.locator("h1")).toHaveText("Rétro de sprint");
  await expect(printed.locator("h2")).toHaveText(["Bien", "À revoir", "Hors des colonnes"]);
  const sections = await printed.locator("ul").evaluateAll((lists) =>
    lists.map((list) => [...list.querySelectorAll(".print-text")].map((p) => p.textContent)),
  );
  expect(sections).toEqual([["Entraide"], ["Réunions longues\nsurtout le lundi", "Tests trop lents"], ["Idée en vrac"]]);
  await expect(printed.locator("li", { hasText: "Tests trop lents" }).locator(".print-about")).toHaveText(
    "Ajouté par Alice · 2 pastilles",
  );
  // Each post-it keeps its colour on paper.
  await expect(printed.locator("li").first()).toHaveClass(/\bnote-yellow\b/);
  await page.pdf({ path: "screenshots/board-print.pdf", printBackground: true });

  // Back on screen, the list is not there (a screen reader does not read the board twice).
  await page.emulateMedia({ media: "screen" });
  await expect(printed).toBeHidden();
  await expect(page.locator(".tools")).toBeVisible();
});
