import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from 'react';

export interface Tab {
  key: string;
  label: string;
  render: () => ReactNode;
}

/**
 * The ARIA tabs pattern: arrow keys (and Home/End) move between tabs and select them, Tab moves into the
 * panel. Only the selected panel is rendered, so each section loads its data when opened. The selected
 * tab is kept in the address (#import), so a reload or a shared link opens the same section.
 */
export function Tabs({ label, tabs }: { label: string; tabs: Tab[] }) {
  const id = useId();
  const [selected, select] = useState(() => {
    const fromAddress = window.location.hash.slice(1);
    return tabs.some((t) => t.key === fromAddress) ? fromAddress : tabs[0]?.key;
  });
  const setSelected = (key: string) => {
    select(key);
    window.history.replaceState(null, '', `#${key}`);
  };
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const current = tabs.find((t) => t.key === selected) ?? tabs[0];

  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.findIndex((t) => t.key === current?.key);
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % tabs.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + tabs.length) % tabs.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tabs.length - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    const tab = tabs[next]!;
    setSelected(tab.key);
    buttons.current.get(tab.key)?.focus();
  };

  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tab-list">
        {tabs.map((tab) => (
          <button
            key={tab.key}
            type="button"
            role="tab"
            id={`${id}-tab-${tab.key}`}
            aria-controls={`${id}-panel-${tab.key}`}
            aria-selected={tab.key === current?.key}
            tabIndex={tab.key === current?.key ? 0 : -1}
            ref={(element) => {
              if (element) buttons.current.set(tab.key, element);
              else buttons.current.delete(tab.key);
            }}
            onClick={() => setSelected(tab.key)}
            onKeyDown={onKeyDown}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {current && (
        <div
          role="tabpanel"
          id={`${id}-panel-${current.key}`}
          aria-labelledby={`${id}-tab-${current.key}`}
          className="tab-panel"
        >
          {current.render()}
        </div>
      )}
    </div>
  );
}
