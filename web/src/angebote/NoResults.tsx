import { useEffect, useId, useState } from 'react';
import { request } from '../shared/api';
import { type Criterion, type FilterForm, toFilter } from './list-state';

/**
 * Nothing matches: which criterion excluded everything? One request with an alias per criterion counts
 * the offers without it (only totalCount, one row each), and each criterion that would find something
 * can be dropped with one click.
 */
export function NoResults({
  criteria,
  token,
  onDrop,
  onReset,
  suggestions,
  onSearchFor,
}: {
  criteria: Criterion[];
  token: string | null;
  onDrop: (form: FilterForm) => void;
  onReset: () => void;
  suggestions: string[];
  onSearchFor: (term: string) => void;
}) {
  const id = useId();
  const [counts, setCounts] = useState<Record<string, number> | null>(null);
  const key = JSON.stringify(criteria.map((c) => c.without));

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the criteria (a new array each render).
  useEffect(() => {
    if (criteria.length === 0) return;
    let current = true;
    setCounts(null);
    const variables = Object.fromEntries(criteria.map((c, i) => [`f${i}`, toFilter(c.without)]));
    const query = `query OhneEinKriterium(${criteria.map((_, i) => `$f${i}: OfferFilter`).join(', ')}) {
      ${criteria.map((_, i) => `k${i}: offers(first: 1, filter: $f${i}) { totalCount }`).join('\n')}
    }`;
    request<Record<string, { totalCount: number }>>(query, variables, token)
      .then((data) => {
        if (!current) return;
        setCounts(Object.fromEntries(criteria.map((c, i) => [c.key, data[`k${i}`]?.totalCount ?? 0])));
      })
      .catch(() => current && setCounts({}));
    return () => {
      current = false;
    };
  }, [key, token]);

  const helpful = criteria.filter((c) => (counts?.[c.key] ?? 0) > 0);
  return (
    <div className="no-results">
      <p>
        <strong>Keine Angebote passen zu diesen Filtern.</strong>
      </p>
      {criteria.length === 0 ? (
        <p>Zurzeit sind keine Angebote eingetragen.</p>
      ) : counts === null ? (
        <p>Es wird geprüft, welcher Filter alle Angebote ausschließt …</p>
      ) : helpful.length > 0 ? (
        <>
          <p id={`${id}-why`}>
            {helpful.length === 1 && criteria.length > 1
              ? 'Dieser Filter schließt alle übrigen Treffer aus:'
              : 'Ohne einen dieser Filter gäbe es Treffer:'}
          </p>
          <ul className="criteria" aria-labelledby={`${id}-why`}>
            {helpful.map((c) => {
              const count = counts[c.key]!;
              return (
                <li key={c.key}>
                  <span>
                    {c.label} – ohne ihn {count === 1 ? '1 Angebot' : `${count} Angebote`}
                  </span>{' '}
                  <button type="button" className="secondary" onClick={() => onDrop(c.without)}>
                    „{c.label}“ entfernen
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      ) : (
        <p>
          Auch ohne jeweils einen der Filter ({criteria.map((c) => c.label).join('; ')}) findet sich nichts:
          erst mehrere zusammen schließen alles aus.{' '}
          <button type="button" className="secondary" onClick={onReset}>
            Alle Filter zurücksetzen
          </button>
        </p>
      )}
      {suggestions.length > 0 && (
        <nav aria-label="Suchvorschläge">
          <p id={`${id}-suggestions`}>Ähnliche Begriffe, die Angebote finden:</p>
          <ul className="suggestions" aria-labelledby={`${id}-suggestions`}>
            {suggestions.map((term) => (
              <li key={term}>
                <button type="button" className="secondary" onClick={() => onSearchFor(term)}>
                  Nach „{term}“ suchen
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </div>
  );
}
