import './notices.css';
import { ConnectionNotice } from './ConnectionNotice';
import { SessionNotice } from './SessionNotice';

/** The notices every page shows at its top: the connection to the hub and the sign-in's end. */
export function StatusNotices() {
  return (
    <div className="notices" data-notices="">
      <ConnectionNotice />
      <SessionNotice />
    </div>
  );
}
