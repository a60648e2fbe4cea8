import { forwardRef, type ReactNode } from 'react';

/** A table's card that scrolls sideways on narrow screens, so the page itself never does. */
export const ScrollTable = forwardRef<HTMLElement, { label: string; children: ReactNode }>(
  function ScrollTable({ label, children }, ref) {
    return (
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1, axe scrollable-region-focusable).
      <section className="table-scroll" tabIndex={0} aria-label={label} ref={ref}>
        {children}
      </section>
    );
  },
);
