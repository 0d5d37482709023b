/**
 * Server-side changes to a plan for tests: a comment thread (in the shape of shared/threads.ts),
 * tracked suggestions (the marks of shared/suggestion-marks.ts) and a link, written straight
 * into the plan's Y.Doc in a server-origin transaction, as the server's own commands do.
 */
import * as Y from 'yjs';
import { YName } from '../../shared/protocol.ts';
import { SuggestionMark, type SuggestionAttrs } from '../../shared/suggestion-marks.ts';
import { ThreadField, threadsMap, type ThreadAuthor, type ThreadMessage } from '../../shared/threads.ts';
import { SERVER_ORIGIN } from '../../server/collab/room.ts';

/** The Y.XmlText of the body that contains `text` (the first one). */
export function findText(doc: Y.Doc, text: string): Y.XmlText {
  const walk = (node: Y.XmlFragment | Y.XmlElement): Y.XmlText | null => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText && child.toString().includes(text)) return child;
      if (child instanceof Y.XmlElement) {
        const found = walk(child);
        if (found) return found;
      }
    }
    return null;
  };
  const found = walk(doc.getXmlFragment(YName.body));
  if (!found) throw new Error(`no text "${text}" in the plan`);
  return found;
}

/** The plain characters of a Y.XmlText (toString() renders marks as tags). */
function plain(node: Y.XmlText): string {
  return (node.toDelta() as Array<{ insert: string }>).map((op) => op.insert).join('');
}

const encode = (type: Y.XmlText, index: number): string => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(type, index))).toString('base64');

/** Open a comment thread on the passage `quote`, with messages (first one opens the thread). */
export function addCommentThread(doc: Y.Doc, input: { id: string; quote: string; messages: Array<{ author: ThreadAuthor; body: string; at: string }> }): void {
  const text = findText(doc, input.quote);
  const start = plain(text).indexOf(input.quote);
  Y.transact(
    doc,
    () => {
      const thread = new Y.Map<unknown>();
      thread.set(ThreadField.id, input.id);
      thread.set(ThreadField.kind, 'comment');
      thread.set(ThreadField.author, input.messages[0].author);
      thread.set(ThreadField.createdAt, input.messages[0].at);
      thread.set(ThreadField.anchor, { start: encode(text, start), end: encode(text, start + input.quote.length) });
      thread.set(ThreadField.quote, input.quote);
      thread.set(ThreadField.status, 'open');
      const messages = new Y.Array<ThreadMessage>();
      messages.push(input.messages.map((m, i) => ({ id: `${input.id}-m${i}`, author: m.author, body: m.body, mentions: [], createdAt: m.at, editedAt: null, deletedAt: null })));
      thread.set(ThreadField.messages, messages);
      thread.set(ThreadField.events, new Y.Array());
      threadsMap(doc).set(input.id, thread);
    },
    SERVER_ORIGIN,
  );
}

/** Propose inserting `inserted` right after `after`, as a suggestion by `author`. */
export function suggestInsertion(doc: Y.Doc, after: string, inserted: string, attrs: SuggestionAttrs): void {
  const text = findText(doc, after);
  const at = plain(text).indexOf(after) + after.length;
  Y.transact(doc, () => text.insert(at, inserted, { [SuggestionMark.insertion]: attrs }), SERVER_ORIGIN);
}

/** Propose deleting the passage `deleted`, as a suggestion by `author`. */
export function suggestDeletion(doc: Y.Doc, deleted: string, attrs: SuggestionAttrs): void {
  const text = findText(doc, deleted);
  const at = plain(text).indexOf(deleted);
  Y.transact(doc, () => text.format(at, deleted.length, { [SuggestionMark.deletion]: attrs }), SERVER_ORIGIN);
}

/** Append a paragraph with a link at the end of the plan body. */
export function appendLinkParagraph(doc: Y.Doc, before: string, label: string, href: string): void {
  Y.transact(
    doc,
    () => {
      const paragraph = new Y.XmlElement('paragraph');
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      doc.getXmlFragment(YName.body).push([paragraph]);
      text.insert(0, before);
      text.insert(before.length, label, { link: { href } });
    },
    SERVER_ORIGIN,
  );
}
