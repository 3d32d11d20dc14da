// Keyboard helpers for the training area.

/** True when a key press belongs to what has focus (typing, choosing, pressing a control), not to the page. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof target !== 'object' || !('tagName' in target)) return false;
  const el = target as {
    tagName: string;
    isContentEditable?: boolean;
    getAttribute?: (n: string) => string | null;
  };
  const tag = el.tagName.toUpperCase();
  if (
    tag === 'INPUT' ||
    tag === 'TEXTAREA' ||
    tag === 'SELECT' ||
    tag === 'BUTTON' ||
    tag === 'A' ||
    tag === 'SUMMARY'
  )
    return true;
  if (el.isContentEditable) return true;
  const role = el.getAttribute?.('role');
  return (
    role === 'button' ||
    role === 'textbox' ||
    role === 'checkbox' ||
    role === 'switch' ||
    role === 'slider' ||
    role === 'combobox'
  );
}
