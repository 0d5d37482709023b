/** A minimal history-API router: three routes do not need a routing library. */
import { useEffect, useState, type MouseEvent } from 'react';

/** The screens the app can show, parsed from the address bar. */
export type Route =
  | { name: 'documents' }
  | { name: 'editor'; documentId: string }
  | { name: 'invite' }
  | { name: 'notFound' };

const CHANGE_EVENT = 'minga:navigate';

/** Parse a pathname into a route. */
export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'documents' };
  if (pathname === '/invite') return { name: 'invite' };
  const match = /^\/d\/([^/]+)\/?$/.exec(pathname);
  if (match) return { name: 'editor', documentId: decodeURIComponent(match[1]) };
  return { name: 'notFound' };
}

/** Go to a path, adding a history entry (or replacing the current one). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

/** The path of a plan's editor. */
export function documentPath(documentId: string): string {
  return `/d/${encodeURIComponent(documentId)}`;
}

/** The current route, re-rendered on back/forward and on navigate(). */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE_EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE_EVENT, update);
    };
  }, []);
  return route;
}

/** Click handler for in-app links: plain left clicks navigate in place, others open normally. */
export function linkClick(path: string) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(path);
  };
}
