// A Svelte action that typesets TeX with KaTeX into its element. The HTML it writes is KaTeX's own
// output for TeX built by src/lib/learn (numbers and fixed strings; user text only through texText()).
// KaTeX is loaded on first use (a separate chunk, precached for offline use).

let loader: Promise<typeof import('./katex-render.ts')> | null = null;

function load(): Promise<typeof import('./katex-render.ts')> {
  loader ??= import('./katex-render.ts');
  return loader;
}

export function typeset(node: HTMLElement, tex: string): { update(t: string): void } {
  let current = tex;
  const draw = (t: string) => {
    current = t;
    node.textContent = t; // until KaTeX is loaded: the TeX source, as text
    void load().then(({ renderTex }) => {
      if (current !== t) return;
      node.innerHTML = renderTex(t, node.dataset.inline === undefined);
    });
  };
  draw(tex);
  return { update: draw };
}
