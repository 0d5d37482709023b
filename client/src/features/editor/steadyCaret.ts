/**
 * The caret stays lit while the person types, and blinks again once they stop — as it does in
 * a plain text field. Chromium restarts its blink timer when its own typing moves the caret, but
 * ProseMirror writes the character and the selection itself, so in the editor the caret went on
 * blinking under the keys: every 500 ms a frame was drawn just to hide or show it, and a key
 * pressed just after such a frame waited for the display's next refresh before its character
 * appeared (up to 16 ms more; ~2 % of keys at a person's pace — docs/benchmarks.md, "Eleventh
 * pass"). While keys come in, the editor gets a class that editor.css gives
 * `caret-animation: manual` (a steady caret; browsers without the property keep blinking), and
 * loses it STEADY_MS after the last key.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { quietly } from './caretBlockBoundary.ts';

/** The class editor.css gives a steady caret. */
export const TYPING_CLASS = 'plan-body--typing';

/** How long after the last key the caret may blink again (Chromium's blink interval). */
export const STEADY_MS = 500;

const key = new PluginKey('steadyCaret');

/** Marks the editor as being typed into, from a key until STEADY_MS after the last one. */
class SteadyCaretView {
  private lastKey = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onKey = () => this.typed();

  constructor(private readonly view: EditorView) {
    // keydown: every key, arrows and deletions too; beforeinput: text entered without one (IME, dictation).
    view.dom.addEventListener('keydown', this.onKey);
    view.dom.addEventListener('beforeinput', this.onKey);
  }

  destroy(): void {
    this.view.dom.removeEventListener('keydown', this.onKey);
    this.view.dom.removeEventListener('beforeinput', this.onKey);
    clearTimeout(this.timer);
    // Not quietly: a view being destroyed has stopped its DOM observer, and quietly would start
    // it again. ProseMirror ignores a class change on its root in any case.
    this.view.dom.classList.remove(TYPING_CLASS);
  }

  private typed(): void {
    this.lastKey = performance.now();
    if (this.timer !== undefined) return;
    quietly(this.view, () => this.view.dom.classList.add(TYPING_CLASS));
    this.timer = setTimeout(this.settle, STEADY_MS);
  }

  /** One timer per burst of keys: it waits on until STEADY_MS have passed since the last key. */
  private readonly settle = () => {
    const left = this.lastKey + STEADY_MS - performance.now();
    if (left > 1) {
      this.timer = setTimeout(this.settle, left);
      return;
    }
    this.timer = undefined;
    quietly(this.view, () => this.view.dom.classList.remove(TYPING_CLASS));
  };
}

/** The editor extension (client only). */
export const SteadyCaret = Extension.create({
  name: 'steadyCaret',
  addProseMirrorPlugins() {
    return [new Plugin({ key, view: (view) => new SteadyCaretView(view) })];
  },
});
