import { useEffect, useState } from 'react';
import type { Session } from '../shared/session';
import { CaseList } from './CaseList';
import { CaseView } from './CaseView';
import { CreateCaseForm } from './CreateCaseForm';
import { IncomingHandovers } from './IncomingHandovers';

// The open case lives in the address's fragment: a reload or signing in again after the sign-in ran out
// opens it again, and the fragment never reaches a server's logs.
const fromAddress = () => new URLSearchParams(window.location.hash.slice(1)).get('fall');

/** The case manager's work: handovers to accept, a new case, the list, and the case opened from it. */
export function Workspace({ session }: { session: Session }) {
  const [selected, setSelected] = useState<string | null>(fromAddress);
  useEffect(() => {
    const hash = selected ? `#fall=${encodeURIComponent(selected)}` : '';
    if (window.location.hash !== hash)
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
  }, [selected]);
  const [listKey, setListKey] = useState(0);
  const reloadList = () => setListKey((k) => k + 1);

  return (
    <div className="workspace">
      <div className="workspace-side">
        <IncomingHandovers
          session={session}
          reloadKey={listKey}
          onAccepted={(caseId) => {
            reloadList();
            setSelected(caseId);
          }}
        />
        {session.actions.includes('case.create') && (
          <CreateCaseForm
            session={session}
            onCreated={(caseId) => {
              reloadList();
              setSelected(caseId);
            }}
          />
        )}
        <CaseList session={session} reloadKey={listKey} selected={selected} onSelect={setSelected} />
      </div>
      {selected && <CaseView key={selected} session={session} caseId={selected} onCaseChanged={reloadList} />}
    </div>
  );
}
