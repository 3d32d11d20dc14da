// A Svelte action that typesets TeX with KaTeX into its element. The HTML it writes is KaTeX's own
// output for TeX built by src/lib/learn (numbers and fixed strings; user text only through texText()).
// KaTeX is loaded on first use (a separate chunk, precached for offline use).

let loader: Promise<typeof import('./katex-render.ts')> | null = null;

function load(): Promise<typeof import('./katex-render.ts')> {
  loader ??= import('./katex-render.ts');
  return loader;
}

/** A formula wider than its box scrolls sideways: make it a focusable region then, so the keyboard can scroll it. */
function markScrollable(node: HTMLElement): void {
  if (node.scrollWidth > node.clientWidth + 1) {
    node.tabIndex = 0;
    node.setAttribute('role', 'region');
    node.setAttribute('aria-label', node.dataset.label ?? 'Formula');
  } else {
    node.removeAttribute('tabindex');
    node.removeAttribute('role');
    node.removeAttribute('aria-label');
  }
}

export function typeset(node: HTMLElement, tex: string): { update(t: string): void; destroy(): void } {
  let current = tex;
  const resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => markScrollable(node));
  resize?.observe(node);
  const draw = (t: string) => {
    current = t;
    node.textContent = t; // until KaTeX is loaded: the TeX source, as text
    void load().then(({ renderTex }) => {
      if (current !== t) return;
      node.innerHTML = renderTex(t, node.dataset.inline === undefined);
      markScrollable(node);
    });
  };
  draw(tex);
  return { update: draw, destroy: () => resize?.disconnect() };
}
