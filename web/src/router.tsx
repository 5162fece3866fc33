/** A small history router: the path names the screen, the query its filters (so links can be shared). */
import type { AnchorHTMLAttributes, ReactNode } from 'react';
import { useEffect, useRef, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

export interface Location {
  readonly path: string;
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, 'http://x');
  return {
    path: url.pathname,
    segments: url.pathname.split('/').filter(Boolean).map(decodeURIComponent),
    query: url.searchParams,
  };
}

/** Changes some query parameters of the current screen (empty values are removed). */
export function setQuery(changes: Record<string, string | number | undefined>, replace = true) {
  const url = new URL(window.location.href);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '') url.searchParams.delete(k);
    else url.searchParams.set(k, String(v));
  }
  navigate(url.pathname + url.search, { replace });
}

export function Link({
  to,
  children,
  ...rest
}: { to: string; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  return (
    <a
      href={to}
      {...rest}
      onClick={(e) => {
        rest.onClick?.(e);
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/**
 * When the screen changes (another path; not the first one shown, nor a filter of the same screen),
 * focus moves to `ref` (the main region), so that keyboard and screen reader users start on the new
 * screen instead of on the page's body.
 */
export function useFocusOnNavigate(ref: { current: HTMLElement | null }, path: string) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [ref, path]);
}

/**
 * The window's title follows the screen's main heading ("Kunder – Abgleich"), also when the heading
 * arrives with the screen's data: a screen reader announces a new page by it, and tabs are told apart.
 */
export function useTitleFromHeading(ref: { current: HTMLElement | null }, app: string) {
  useEffect(() => {
    const region = ref.current;
    if (!region) return;
    const update = () => {
      const heading = region.querySelector('h1')?.textContent?.trim();
      const title = heading ? `${heading} – ${app}` : app;
      if (document.title !== title) document.title = title;
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(region, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [ref, app]);
}
