// Accessibility to the level French public bodies must meet (RGAA, i.e. WCAG 2.1 AA), as far as
// axe-core can tell: no violation on the home page, the guide, an unknown board's page, on a
// board holding a post-it of every colour (contrast of each), with each of the board's panels and
// menus open, and with the workshop under way (countdown, silent writing, vote, actions, consent
// round), in French on a laptop and in English on a phone.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect, newPage, note, reach, test } from "./pages.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** What axe-core finds on the page as it is now, one line per rule broken. */
async function violations(page) {
  // Through the DevTools protocol, as an extension would: the page's CSP does not apply to it.
  await page.evaluate(AXE);
  return page.evaluate(async (rules) => {
    const result = await window.axe.run({ runOnly: rules });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  }, RULES);
}

const READERS = [
  {
    who: "in French on a laptop",
    options: { locale: "fr-FR" },
    words: {
      add: "Ajouter un post-it",
      menus: 0,
      colours: ["Jaune", "Rose", "Bleu", "Vert", "Orange", "Violet"],
      startTimer: "Lancer le minuteur",
      silent: "Écriture silencieuse (post-its privés jusqu'au dévoilement)",
      startVote: "Lancer le vote",
      makeAction: "En faire une action",
      startConsent: "Tour de consentement sur le post-it choisi",
    },
  },
  {
    who: "in English on a phone",
    options: { locale: "en-GB", viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true },
    words: {
      add: "Add a post-it",
      menus: 2,
      colours: ["Yellow", "Pink", "Blue", "Green", "Orange", "Purple"],
      startTimer: "Start the timer",
      silent: "Silent writing (post-its private until revealed)",
      startVote: "Start the vote",
      makeAction: "Make it an action",
      startConsent: "Consent round on the selected post-it",
    },
  },
];

for (const { who, options, words } of READERS) {
  test(`axe-core finds nothing on the home page, a board of every colour and each panel, ${who}`, async ({ browser, server }) => {
    const page = await newPage(browser, options);
    await page.goto(server.url);
    expect(await violations(page), "home page").toEqual([]);
    await page.goto(server.url + "/guide");
    expect(await violations(page), "the facilitator's guide").toEqual([]);
    await page.goto(server.url + "/b/no-such-board");
    expect(await violations(page), "an unknown board's page").toEqual([]);

    const board = await server.createBoard("Accessible");
    await page.goto(server.url + board.url);
    await expect(page.locator(".status-ok")).toBeVisible();
    expect(await violations(page), "empty board").toEqual([]);
    const classes = ["yellow", "pink", "blue", "green", "orange", "purple"];
    for (const [i, colour] of words.colours.entries()) {
      await page.getByRole("button", { name: words.add }).click();
      await expect(page.locator(".note textarea:focus")).toBeVisible();
      await page.keyboard.type(`Post-it ${colour}`);
      await note(page, `Post-it ${colour}`).getByRole("button", { name: colour, exact: true }).click();
      await expect(note(page, `Post-it ${colour}`)).toHaveClass(new RegExp(`\\bnote-${classes[i]}\\b`));
      expect(await violations(page), `a ${colour} post-it with its tools`).toEqual([]);
    }
    await page.keyboard.press("Escape");
    expect(await violations(page), "a post-it of every colour").toEqual([]);

    for (const panel of ["details.facilitate", "details.links", "details.help"]) {
      await (await reach(page, `${panel} > summary`)).click();
      await expect(page.locator(panel)).toHaveAttribute("open", "");
      expect(await violations(page), `${panel} open`).toEqual([]);
      await page.locator(`${panel} > summary`).click();
      await page.keyboard.press("Escape");
    }
    // On a phone, each bar's menu open (on a laptop there are none: the tools are in the bars).
    await expect(page.locator(".overflow-toggle:visible")).toHaveCount(words.menus);
    for (const toggle of await page.locator(".overflow-toggle:visible").all()) {
      await toggle.click();
      await expect(toggle).toHaveAttribute("aria-expanded", "true");
      expect(await violations(page), `${await toggle.getAttribute("aria-label")} open`).toEqual([]);
      await toggle.click();
    }

    // The workshop under way: a countdown, silent writing, a vote, an action; then a consent round.
    const facilitate = async () => {
      const menu = page.locator("details.facilitate");
      if ((await menu.getAttribute("open")) === null) await (await reach(page, "details.facilitate > summary")).click();
    };
    await facilitate();
    await page.getByRole("button", { name: words.startTimer }).click();
    await facilitate();
    await page.getByLabel(words.silent).check();
    await facilitate();
    await page.getByRole("button", { name: words.startVote }).click();
    await expect(page.locator(".voting")).toBeVisible();
    const first = note(page, `Post-it ${words.colours[0]}`);
    await first.locator("textarea").focus();
    await first.getByRole("button", { name: words.makeAction }).click();
    await expect(page.locator(".actions-panel")).toBeVisible();
    await page.locator(".actions-panel > summary").click();
    await page.keyboard.press("Escape");
    expect(await violations(page), "countdown, silent writing, vote and actions").toEqual([]);
    await page.getByRole("button", { name: words.add }).click();
    expect(await violations(page), "a private post-it").toEqual([]);
    await page.locator(".delete-draft").click();
    await first.locator(".note-grip").click();
    await expect(page.locator(".note.selected")).toHaveCount(1);
    await facilitate();
    await page.getByRole("button", { name: words.startConsent }).click();
    await expect(page.locator(".consent")).toBeVisible();
    expect(await violations(page), "a consent round").toEqual([]);
  });
}
