/** The comments feature of one plan: its thread state, command sender and editor extension. */
import { useMemo } from 'react';
import type { AnyExtension } from '@tiptap/core';
import type { CollabConnection } from '../connection/collabConnection.ts';
import { CommentHighlights } from './commentHighlights.ts';
import { CommentsController } from './commentsController.ts';
import { ThreadCommandSender } from './threadCommands.ts';

/** What the editor screen wires: the extension goes to the editor, the rest to the panel. */
export interface CommentsFeature {
  controller: CommentsController;
  sender: ThreadCommandSender;
  extension: AnyExtension;
}

/** Create the comments feature once per connection (before the editor, which needs the extension). */
export function useCommentsFeature(connection: CollabConnection): CommentsFeature {
  return useMemo(() => {
    const controller = new CommentsController(connection.doc);
    return { controller, sender: new ThreadCommandSender(connection), extension: CommentHighlights.configure({ controller }) };
  }, [connection]);
}
