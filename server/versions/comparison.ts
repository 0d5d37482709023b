/**
 * A comparison of two captured states of a plan, from bytes to the CompareResult the browser
 * shows: both states are decoded into Y.Docs, read as ProseMirror documents with the shared
 * schema, diffed (compare.ts), attributed (attribution.ts) and summarised (summary.ts).
 */
import * as Y from 'yjs';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import type { Node as PMNode } from '@tiptap/pm/model';
import { YName } from '../../shared/protocol.ts';
import { planSchema } from '../../shared/schema.ts';
import type { ChangeAuthor, CompareResult, CompareSide, DiffElement } from '../../shared/versions.ts';
import { textClients } from './attribution.ts';
import { diffDocuments, plainNode, renderDiff } from './compare.ts';
import { changeEntries, sectionsOf, summarize } from './summary.ts';

/** One side of a comparison with its captured state. */
export interface StateSide extends CompareSide {
  state: Uint8Array;
}

/** A decoded state: its Y.Doc and the plan body as a ProseMirror document. */
export interface DecodedPlan {
  ydoc: Y.Doc;
  doc: PMNode;
}

/** Decode a captured state (the caller destroys the Y.Doc when done). */
export function decodePlan(state: Uint8Array): DecodedPlan {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, state);
  return { ydoc, doc: yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(YName.body), planSchema) };
}

/** A plan body as a DiffElement tree with nothing marked (to show one version). */
export function documentTree(doc: PMNode): DiffElement {
  return plainNode(doc, null) as DiffElement;
}

/** Compare two states of a plan; `older` must be the earlier one. */
export function comparePlanStates(input: {
  documentId: string;
  older: StateSide;
  newer: StateSide;
  /** The person who wrote with a Yjs client id in this plan, if known. */
  authorOfClient: (client: number) => ChangeAuthor | undefined;
}): CompareResult {
  const older = decodePlan(input.older.state);
  const newer = decodePlan(input.newer.state);
  try {
    const changes = diffDocuments(older.doc, newer.doc);
    const authors: ChangeAuthor[] = [];
    const byPerson = new Map<string, number>();
    const authorOf = (client: number): number | null => {
      const person = input.authorOfClient(client);
      if (!person) return null;
      let index = byPerson.get(person.id);
      if (index === undefined) {
        index = authors.push({ id: person.id, name: person.name, delegation: person.delegation, color: person.color }) - 1;
        byPerson.set(person.id, index);
      }
      return index;
    };
    const clients = textClients(newer.ydoc.getXmlFragment(YName.body), newer.doc);
    const { doc, runs } = renderDiff({ older: older.doc, newer: newer.doc, changes, clients, authorOf });
    const sections = sectionsOf(newer.doc);
    const entries = changeEntries(runs, sections);
    const summary = summarize({
      older: { doc: older.doc, ydoc: older.ydoc, at: input.older.at },
      newer: { doc: newer.doc, ydoc: newer.ydoc, at: input.newer.at, sections },
      entries,
    });
    const totals = { wordsAdded: 0, wordsRemoved: 0, insertions: 0, deletions: 0 };
    for (const section of summary.sections) {
      totals.wordsAdded += section.wordsAdded;
      totals.wordsRemoved += section.wordsRemoved;
    }
    for (const entry of entries) {
      if (entry.kind === 'inserted') totals.insertions++;
      else totals.deletions++;
    }
    const side = ({ id, name, at }: CompareSide): CompareSide => ({ id, name, at });
    return {
      documentId: input.documentId,
      from: side(input.older),
      to: side(input.newer),
      authors,
      doc,
      sections: summary.sections,
      changes: entries,
      threads: summary.threads,
      totals,
    };
  } finally {
    older.ydoc.destroy();
    newer.ydoc.destroy();
  }
}
