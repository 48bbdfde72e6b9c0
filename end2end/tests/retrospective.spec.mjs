// A whole retrospective with three real pages: a facilitator in French, Alice in French on a
// laptop, Bob in English on a tablet. Template → private writing → reveal → grouping → a vote of
// three each → results → two actions, with the countdown running throughout; a reload and a
// `kill -9` of the server in the middle lose nothing.
import { dragTo, expect, newPage, note, openBoard, test } from "./pages.mjs";


test("a whole retrospective: template, private writing, reveal, grouping, a vote of three, results and two actions, the countdown running", async ({ browser, server }) => {
  // The facilitator makes the board from a template on the home page.
  const facilitator = await newPage(browser);
  await facilitator.goto(server.url);
  await facilitator.getByLabel("Titre du tableau").fill("Rétro du sprint 12");
  await facilitator.getByLabel("Modèle").selectOption({ label: "Commencer, arrêter, continuer" });
  await facilitator.getByRole("button", { name: "Créer le tableau" }).click();
  await expect(facilitator.locator(".status-ok")).toBeVisible();
  await expect(facilitator.locator(".column-heading")).toHaveCount(3);
  await facilitator.locator("details.links summary").click();
  const link = new URL(await facilitator.locator('[data-link="participant"] input').inputValue());
  await facilitator.locator("details.links summary").click();
  const participantLink = link.pathname + link.search;
  const alice = await openBoard(browser, server, participantLink);
  await alice.getByLabel("Votre nom").fill("Alice");
  const bob = await openBoard(browser, server, participantLink, { locale: "en-GB", hasTouch: true, isMobile: true, viewport: { width: 1024, height: 768 } });
  await bob.getByLabel("Your name").fill("Bob");

  // A 20-minute countdown, then silent writing.
  await facilitator.locator("details.facilitate summary").click();
  await facilitator.getByLabel("Minutes").fill("20");
  await facilitator.getByRole("button", { name: "Lancer le minuteur" }).click();
  await facilitator.locator("details.facilitate summary").click();
  await facilitator.getByLabel("Écriture silencieuse (post-its privés jusqu'au dévoilement)").check();
  await facilitator.locator("details.facilitate summary").click();
  await expect(bob.locator(".countdown .time")).toBeVisible();
  await expect(bob.locator(".writing-private")).toHaveText("Your new post-its are seen by you only until they are revealed.");

  // Alice writes two, in the first and the third column; Bob taps one in the middle.
  for (const [x, text] of [[100, "Démo chaque vendredi"], [760, "Les revues de code"]]) {
    await alice.locator(".board").dblclick({ position: { x, y: 200 } });
    await expect(alice.locator(".draft textarea:focus")).toHaveCount(1);
    await alice.keyboard.type(text);
  }
  await bob.getByRole("button", { name: "Add a post-it" }).tap();
  await expect(bob.locator(".draft textarea:focus")).toHaveCount(1);
  await bob.keyboard.type("Code reviews");
  await expect(facilitator.locator(".hidden-counts li")).toHaveCount(2);
  await expect(facilitator.locator(".hidden-counts")).toContainText("Alice : 2 post-its");
  await expect(facilitator.locator(".hidden-counts")).toContainText("Bob : 1 post-it");
  await expect(bob.locator("body")).not.toContainText("Démo chaque vendredi");

  // A reload and a kill -9 in the middle: everything is still there.
  await alice.reload();
  await expect(alice.locator(".draft")).toHaveCount(2);
  await server.killAndRestart();
  for (const page of [facilitator, alice, bob]) await expect(page.locator(".status-ok")).toBeVisible();
  await expect(bob.locator(".draft textarea")).toHaveValue("Code reviews");
  await expect(bob.locator(".countdown .time")).toBeVisible();

  // Reveal: the facilitator moves on and reveals everyone's.
  await facilitator.getByRole("button", { name: "Étape suivante" }).click();
  await expect(bob.locator('.stepper [aria-current="step"]')).toHaveText("Reveal");
  await facilitator.getByRole("button", { name: "Tout dévoiler" }).click();
  for (const page of [facilitator, alice, bob]) await expect(page.locator(".note")).toHaveCount(3);
  await expect(note(alice, "Code reviews")).toHaveCount(1);
  await expect(alice.locator(".draft")).toHaveCount(0);

  // Grouping: Alice drops Bob's post-it onto her own on the same subject, and titles the group.
  await facilitator.getByRole("button", { name: "Étape suivante" }).click();
  await expect(alice.locator('.stepper [aria-current="step"]')).toHaveText("Regroupement");
  const target = await note(alice, "Les revues de code").boundingBox();
  await dragTo(alice, note(alice, "Code reviews"), target.x + target.width / 2, target.y + 40);
  await expect(bob.locator(".group")).toHaveCount(1);
  await alice.locator(".group-title").fill("Revues");
  await expect(bob.locator(".group-title")).toHaveValue("Revues");

  // A vote of three each.
  await facilitator.getByRole("button", { name: "Étape suivante" }).click();
  await facilitator.locator("details.facilitate summary").click();
  await facilitator.getByLabel("Votes par personne").fill("3");
  await facilitator.getByLabel("plusieurs sur un même post-it").check();
  await facilitator.getByRole("button", { name: "Lancer le vote" }).click();
  await expect(bob.locator(".votes-left")).toHaveText("Votes left: 3 / 3");
  for (let i = 0; i < 2; i++) await note(alice, "Les revues de code").getByRole("button", { name: "Voter pour ce post-it" }).click();
  await note(alice, "Démo chaque vendredi").getByRole("button", { name: "Voter pour ce post-it" }).click();
  await expect(alice.locator(".votes-left")).toHaveText("Votes restants : 0 / 3");
  for (const text of ["Code reviews", "Démo chaque vendredi", "Démo chaque vendredi"]) {
    await note(bob, text).getByRole("button", { name: "Vote for this post-it" }).tap();
  }
  await expect(bob.locator(".votes-left")).toHaveText("Votes left: 0 / 3");
  for (const page of [facilitator, alice, bob]) await expect(page.locator(".vote-result")).toHaveCount(0);
  await facilitator.getByRole("button", { name: "Clore le vote" }).click();
  // The group counts as a whole: 3 votes, as many as the other post-it.
  await expect(alice.locator(".vote-results li")).toHaveCount(2);
  await expect(alice.locator(".vote-results")).toContainText("Revues (2) — 3 votes");
  await expect(bob.locator(".vote-results")).toContainText("Démo chaque vendredi — 3 votes");

  // Discussion and two actions, filled in from the Actions panel.
  await facilitator.getByRole("button", { name: "Étape suivante" }).click();
  // Pointed at its top corner: the post-it dropped onto it covers its middle when it lies on
  // top, which depends on their (random) ids; pointed at, a post-it comes to the front.
  for (const text of ["Démo chaque vendredi", "Les revues de code"]) {
    await note(facilitator, text).hover({ position: { x: 12, y: 8 } });
    await note(facilitator, text).getByRole("button", { name: "En faire une action" }).click();
  }
  await bob.locator(".actions-panel summary").click();
  await expect(bob.locator(".actions-panel summary")).toHaveText("Actions (2)");
  await bob.locator(".action-owner").first().fill("Aïcha");
  await bob.locator(".action-owner").first().press("Enter");
  await bob.locator(".action-owner").last().fill("Bob");
  await bob.locator(".action-owner").last().press("Enter");
  await expect(facilitator.locator(".note-action", { hasText: "Aïcha" })).toHaveCount(1);
  await expect(facilitator.locator(".note-action", { hasText: "Bob" })).toHaveCount(1);

  // The countdown ran all along, the same on every page.
  await expect(bob.locator(".countdown .time")).toBeVisible();
  await expect(facilitator.locator(".countdown .time")).toBeVisible();
  const address = new URL(facilitator.url());
  const stored = await (await fetch(`${server.url}/api${address.pathname.replace("/b/", "/boards/")}`, {
    headers: { authorization: `Bearer ${address.searchParams.get("k")}` },
  })).json();
  expect(stored.notes.filter((n) => n.action).length).toBe(2);
  expect(stored.notes.map((n) => n.text).sort()).toEqual(["Code reviews", "Démo chaque vendredi", "Les revues de code"]);
});
