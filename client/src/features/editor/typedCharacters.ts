/**
 * A character typed on a keyboard goes straight into the editor's state instead of through the
 * browser's editing command (docs/decisions.md, "Typed characters").
 *
 * By default ProseMirror lets the browser insert the character into the DOM and then reads the
 * change back: Chromium's insertion runs its editing machinery over the contenteditable (dozens
 * of forced style and layout updates, selection syncing), then ProseMirror observes the
 * mutation, parses the changed range and diffs it against the document. In a 50-page plan that
 * was ~1.6 ms of Chromium's own work per key, before ProseMirror's. Here the `beforeinput`
 * event of a plain typed character is cancelled and the same transaction ProseMirror would have
 * made is dispatched at once (input rules first, through `handleTextInput`, as ProseMirror
 * does); ProseMirror then writes the text node itself.
 *
 * Only the plain case is taken: one printable key pressed without Ctrl, Alt or Meta, its
 * character as the event's data, a text selection in a textblock, no composition (IME, dead
 * keys, Android keyboards). Everything else — composition, spell-check replacements, paste,
 * drops, deletions, autocorrect — stays with the browser and ProseMirror's DOM reading.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

const key = new PluginKey('mingaTypedCharacters');

/** The last key pressed in the editor that types a character, while it is being handled. */
interface PendingKey {
  key: string;
}

/** ProseMirror's internal DOM observer; `flush` reads DOM changes and selection it has not read yet. */
interface ViewInternals {
  domObserver?: { flush?: () => void };
  composing?: boolean;
}

/** Whether a `beforeinput` event inserts exactly the character of the key just pressed. */
function isPlainTypedCharacter(event: InputEvent, pending: PendingKey | null): boolean {
  return event.inputType === 'insertText' && !event.isComposing && event.data !== null && pending !== null && event.data === pending.key;
}

/** Insert `text` at the selection the way ProseMirror does after reading a typed character from the DOM. */
function insertTypedText(view: EditorView, text: string): boolean {
  const internals = view as unknown as ViewInternals;
  if (internals.composing) return false;
  // A selection change the observer has not read yet (e.g. a click just before the key).
  internals.domObserver?.flush?.();
  const { selection } = view.state;
  if (!(selection instanceof TextSelection) || !selection.$from.parent.inlineContent) return false;
  const { from, to } = selection;
  const deflt = () => view.state.tr.insertText(text, from, to).scrollIntoView();
  if (view.someProp('handleTextInput', (handle) => handle(view, from, to, text, deflt))) return true;
  view.dispatch(deflt());
  return true;
}

export const TypedCharacters = Extension.create({
  name: 'typedCharacters',
  addProseMirrorPlugins() {
    let pending: PendingKey | null = null;
    return [
      new Plugin({
        key,
        props: {
          handleKeyDown(_view, event) {
            const plain = event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey && !event.isComposing && event.keyCode !== 229;
            pending = plain ? { key: event.key } : null;
            return false;
          },
          handleDOMEvents: {
            beforeinput(view, event) {
              const pressed = pending;
              pending = null;
              if (!isPlainTypedCharacter(event as InputEvent, pressed) || !view.editable) return false;
              if (!insertTypedText(view, (event as InputEvent).data!)) return false;
              event.preventDefault();
              return true;
            },
            keyup() {
              pending = null;
              return false;
            },
          },
        },
      }),
    ];
  },
});
