// How much of a phone's screen the bars take, in headless Chromium (Debian's) at 390 × 844 with
// touch, as a participant (or the facilitator, with their menus) sees a board:
//   node bench/phone-bars.mjs <board page URL>
// Prints one JSON object: each bar's height and where the board starts, in CSS pixels, and the
// share of the screen's height above the board.
import { launchChromium } from "./common.mjs";

const url = process.argv[2];
if (!url) {
  console.error("usage: node bench/phone-bars.mjs <board page URL>");
  process.exit(2);
}
const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: "fr-FR" });
const page = await context.newPage();
await page.goto(url);
await page.locator(".status-ok").waitFor();
const height = async (selector) => {
  const bar = page.locator(selector);
  return (await bar.count()) ? Math.round((await bar.boundingBox()).height) : 0;
};
const boardTop = Math.round((await page.locator(".board").boundingBox()).y);
console.log(
  JSON.stringify({
    header: await height(".toolbar"),
    tools: await height(".tools"),
    workshop: await height(".workshop"),
    board_top: boardTop,
    share_above_board: Number((boardTop / 844).toFixed(3)),
  }),
);
await browser.close();
