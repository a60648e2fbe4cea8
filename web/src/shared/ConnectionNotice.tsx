import { useEffect, useState } from 'react';
import { onReconnect, useConnection } from './connection';

const RECOVERED_SHOWN_MS = 6_000;

/** While the hub is away: that the page tries again by itself; once it is back, briefly that it is. */
export function ConnectionNotice() {
  const state = useConnection();
  const [recovered, setRecovered] = useState(false);
  useEffect(() => {
    let timer: number | undefined;
    const stop = onReconnect(() => {
      setRecovered(true);
      window.clearTimeout(timer);
      timer = window.setTimeout(() => setRecovered(false), RECOVERED_SHOWN_MS);
    });
    return () => {
      stop();
      window.clearTimeout(timer);
    };
  }, []);
  return (
    <div role="status" className="notice-region">
      {state === 'offline' ? (
        <p className="notice notice-offline">
          <strong>Verbindung unterbrochen – neuer Versuch …</strong> Die Seite versucht es von selbst weiter;
          bis dahin können die gezeigten Zahlen veraltet sein.
        </p>
      ) : (
        recovered && (
          <p className="notice notice-recovered">
            Verbindung wiederhergestellt – die Seite lädt die aktuellen Daten.
          </p>
        )
      )}
    </div>
  );
}
