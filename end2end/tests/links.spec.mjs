// Rights travel as links: a facilitator hands them out, each page does what its link allows,
// and the server, not the page, decides.
import { expect, newPage, openBoard, test } from "./pages.mjs";

/** The path and query of a full link. */
const pathOf = (link) => {
  const url = new URL(link);
  return url.pathname + url.search;
};

test("a facilitator hands out links: the observer follows without editing, the participant cannot delete, My boards keeps the board, closing turns the plain address away", async ({ browser, server }) => {
  const facilitator = await newPage(browser);
  await facilitator.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await facilitator.goto(server.url);
  await facilitator.getByLabel("Titre du tableau").fill("Atelier partenaires");
  await facilitator.getByRole("button", { name: "Créer le tableau" }).click();
  await expect(facilitator.locator(".status-ok")).toBeVisible();
  const plainPath = new URL(facilitator.url()).pathname;

  // The three links, each with a copy button.
  await facilitator.locator("details.links summary").click();
  const participantLink = await facilitator.locator('[data-link="participant"] input').inputValue();
  const observerLink = await facilitator.locator('[data-link="observer"] input').inputValue();
  expect(participantLink).toMatch(/\/b\/[1-9A-HJ-NP-Za-km-z]+\?k=[A-Za-z0-9_-]{32}$/);
  expect(observerLink).not.toBe(participantLink);
  await facilitator.locator('[data-link="observer"] .copy-link').click();
  await expect(facilitator.locator('[data-link="observer"] .copy-link')).toHaveText("Copié");
  expect(await facilitator.evaluate(() => navigator.clipboard.readText())).toBe(observerLink);

  const participant = await openBoard(browser, server, pathOf(participantLink));
  const observer = await openBoard(browser, server, pathOf(observerLink));

  // The observer's page has no way to edit.
  await expect(observer.getByText("Vous observez ce tableau")).toBeVisible();
  await expect(observer.getByRole("button", { name: "Ajouter un post-it" })).toHaveCount(0);
  await expect(observer.getByRole("button", { name: "Ajouter une colonne" })).toHaveCount(0);
  await expect(observer.getByRole("button", { name: "Supprimer le tableau" })).toHaveCount(0);
  await expect(observer.getByLabel("Titre du tableau")).toHaveAttribute("readonly", "");

  // It follows live what the participant writes, and typing in it changes nothing.
  await participant.getByRole("button", { name: "Ajouter un post-it" }).click();
  await participant.keyboard.type("Idée du partenaire");
  const seen = observer.locator(".note textarea");
  await expect(seen).toHaveValue("Idée du partenaire");
  await expect(seen).toHaveAttribute("readonly", "");
  await seen.click();
  await observer.keyboard.type("intrus");
  await observer.keyboard.press("n");
  await expect(seen).toHaveValue("Idée du partenaire");
  await expect(observer.locator(".note")).toHaveCount(1);
  await expect(facilitator.locator(".note textarea")).toHaveValue("Idée du partenaire");

  // The participant edits but neither deletes the board nor handles its links.
  await expect(participant.getByRole("button", { name: "Supprimer le tableau" })).toHaveCount(0);
  await expect(participant.locator("details.links")).toHaveCount(0);

  // A closed board's plain address shows the page of an unknown board.
  const stranger = await newPage(browser);
  const turnedAway = await stranger.goto(server.url + plainPath);
  expect(turnedAway.status()).toBe(404);
  await expect(stranger.locator("main")).toContainText("Pas de tableau à cette adresse.");
  await expect(stranger.locator("main")).not.toContainText("Atelier partenaires");

  // "My boards" finds the board again after a reload, with the facilitator's link.
  await facilitator.goto(server.url);
  await facilitator.reload();
  const mine = facilitator.locator(".my-boards a", { hasText: "Atelier partenaires" });
  await expect(mine).toBeVisible();
  await expect(facilitator.locator(".my-boards")).toContainText("Animation");
  await mine.click();
  await expect(facilitator.locator(".status-ok")).toBeVisible();
  await expect(facilitator.locator("details.links")).toHaveCount(1);

  // Opened, the plain address lets anyone in as a participant; closed again, it turns away.
  await facilitator.locator("details.links summary").click();
  await facilitator.locator(".open-board").check();
  await expect.poll(async () => (await fetch(server.url + plainPath)).status).toBe(200);
  await facilitator.locator(".open-board").uncheck();
  await expect.poll(async () => (await fetch(server.url + plainPath)).status).toBe(404);
  await expect(facilitator.locator(".open-board")).not.toBeChecked();
});
