// Interoperability: the published automerge-repo client, with its websocket network adapter,
// syncs an Ardoise board with the rights of a link. Run by tests/tests/interop.rs:
//   node interop.mjs <ws://host/sync?k=secret> <automerge:documentId> <text to find> <role>
// It checks that a post-it with <text to find> is there, then writes a post-it of its own.
// As a participant, it waits until the server's API shows it; as an observer, it checks that
// the server never stores it.
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";

const [syncUrl, documentUrl, expectedText, role] = process.argv.slice(2);
const sync = new URL(syncUrl);
const apiUrl = `http://${sync.host}`;
const secret = sync.searchParams.get("k");
const documentId = documentUrl.replace(/^automerge:/, "");
const stored = async () => {
  const response = await fetch(`${apiUrl}/api/boards/${documentId}`, { headers: { authorization: `Bearer ${secret}` } });
  const board = await response.json();
  return board.notes.some((note) => note.id === "fromAutomergeRepo");
};

const repo = new Repo({ network: [new WebSocketClientAdapter(syncUrl)] });
const handle = await repo.find(documentUrl);
const doc = handle.doc();
const texts = Object.values(doc.notes ?? {}).map((note) => String(note.text));
if (!texts.includes(expectedText)) {
  console.error(`no post-it with ${JSON.stringify(expectedText)} among ${JSON.stringify(texts)}`);
  process.exit(1);
}

handle.change((d) => {
  d.notes["fromAutomergeRepo"] = {
    text: "Écrit par automerge-repo",
    x: 400,
    y: 200,
    colour: "green",
    created_at: new Date(),
  };
});

if (role === "observer") {
  // Long enough for a participant's change to be stored many times over.
  await new Promise((r) => setTimeout(r, 3000));
  if (await stored()) {
    console.error("the server stored a post-it written with an observer's link");
    process.exit(1);
  }
  console.log("automerge-repo read Ardoise's post-it; its own, written with an observer's link, was refused");
  process.exit(0);
}
const deadline = Date.now() + 20_000;
while (!(await stored())) {
  if (Date.now() > deadline) {
    console.error("the server never stored the post-it written by automerge-repo");
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 50));
}
console.log("automerge-repo read Ardoise's post-it and wrote one that Ardoise stored");
process.exit(0);
