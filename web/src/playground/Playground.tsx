import { type GraphiQLPlugin, useGraphiQL, useGraphiQLActions } from '@graphiql/react';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { describeError, graphqlUrl, websocketUrl } from '../shared/api';
import { csrfHeaders } from '../shared/cookie-session';
import { SignIn } from '../shared/SignIn';
import { StatusNotices } from '../shared/StatusNotices';
import { currentSession, signInWithToken, useSession } from '../shared/session';
import { EXAMPLES, type Example } from './examples';

/**
 * The token of the sign-in form goes into every request that does not name its own Authorization
 * header: over HTTP as the header, over graphql-ws in connection_init (the toolkit passes the tab's
 * headers as connectionParams, which the hub reads like the header).
 */
function createHubFetcher(): Fetcher {
  const base = createGraphiQLFetcher({ url: graphqlUrl(), subscriptionUrl: websocketUrl() });
  return (params, options) => {
    const headers: Record<string, unknown> = { ...options?.headers };
    const named = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
    const token = currentSession()?.token;
    if (!named && token) headers.Authorization = `Bearer ${token}`;
    // A hub session of the city's sign-in (cookie) needs its CSRF token with every request.
    else if (!named) Object.assign(headers, csrfHeaders());
    return base(params, { ...options, headers });
  };
}

/** The headers editor's JSON with the Authorization header set to this token (or removed). */
function withAuthorization(text: string, token: string | null): string | null {
  let headers: Record<string, unknown> = {};
  if (text.trim()) {
    try {
      headers = JSON.parse(text);
    } catch {
      return null; // someone is typing: leave their text alone
    }
  }
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
  if (token) headers.Authorization = `Bearer ${token}`;
  return Object.keys(headers).length ? JSON.stringify(headers, null, 2) : '';
}

/** Shows the signed-in token in the open tab's headers editor, so what is sent is what is seen. */
function HeaderSync({ token }: { token: string | null }) {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  useEffect(() => {
    if (!headerEditor) return;
    const next = withAuthorization(headerEditor.getValue(), token);
    if (next !== null && next !== headerEditor.getValue()) headerEditor.setValue(next);
  }, [headerEditor, token]);
  return null;
}

/**
 * GraphiQL 5.4 opens the variables editor empty even when the first tab has variables (it reads only
 * the `initialVariables` prop there); fill it once from the open tab, so the first example runs as is.
 */
function FirstTabVariables() {
  const { variableEditor, variables } = useGraphiQL((state) => ({
    variableEditor: state.variableEditor,
    variables: state.tabs[state.activeTabIndex]?.variables,
  }));
  const done = useRef(false);
  useEffect(() => {
    if (done.current || !variableEditor) return;
    done.current = true;
    if (variables && !variableEditor.getValue()) variableEditor.setValue(variables);
  }, [variableEditor, variables]);
  return null;
}

function ExamplesPanel() {
  const { addTab, changeTab, setOperationFacts } = useGraphiQLActions();
  const { queryEditor, variableEditor, tabs } = useGraphiQL((state) => ({
    queryEditor: state.queryEditor,
    variableEditor: state.variableEditor,
    tabs: state.tabs,
  }));
  // A tab that still holds the example unchanged is reused; otherwise the example opens in a new tab.
  const open = (example: Example) => {
    const existing = tabs.findIndex((tab) => tab.query === example.query);
    if (existing >= 0) changeTab(existing);
    else {
      addTab();
      queryEditor?.setValue(example.query);
      variableEditor?.setValue(example.variables);
    }
    // GraphiQL reads the operations from the editor only after a short pause, so a run right after the
    // click would still use the previous tab's (an unknown operation, or a subscription sent as a query).
    // Tell it now; the example's first operation is the one to run.
    const documentAST = parse(example.query);
    const operations = documentAST.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    setOperationFacts({ documentAST, operations, operationName: operations[0]?.name?.value });
    queryEditor?.focus();
  };
  return (
    <div className="examples">
      <div className="graphiql-doc-explorer-title">Beispiele</div>
      <p className="examples-intro">
        Ein Klick öffnet das Beispiel in einem Tab; ausführen mit ▶ oder Strg+Enter.
      </p>
      <ul>
        {EXAMPLES.map((example) => (
          <li key={example.title}>
            <button type="button" className="example-button" onClick={() => open(example)}>
              <span className="example-title">{example.title}</span>
              <span className="example-description">{example.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ExamplesIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" fill="none" stroke="currentColor">
      <path d="M4 5h16M4 12h16M4 19h10" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

const EXAMPLES_PLUGIN: GraphiQLPlugin = { title: 'Beispiele', icon: ExamplesIcon, content: ExamplesPanel };

function TokenForm() {
  const id = useId();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await signInWithToken(token.trim().replace(/^Bearer\s+/i, ''));
      setToken('');
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <details className="token-form">
      <summary>oder Token verwenden</summary>
      <form onSubmit={submit}>
        <label htmlFor={`${id}-token`}>Token (z. B. von npm run token)</label>
        <input
          id={`${id}-token`}
          type="text"
          spellCheck={false}
          autoComplete="off"
          required
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <button type="submit">Übernehmen</button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </details>
  );
}

export function Playground() {
  const session = useSession();
  const token = session?.token ?? null;
  const fetcher = useMemo(createHubFetcher, []);
  const plugins = useRef([EXAMPLES_PLUGIN, HISTORY_PLUGIN]).current;
  const defaultTabs = useMemo(() => EXAMPLES.map(({ query, variables }) => ({ query, variables })), []);

  return (
    <div className="playground">
      <a className="skip-link" href="#graphiql">
        Zum Editor springen
      </a>
      <header className="playground-bar">
        <h1 className="site-title">
          <a href="/">Bündnis Hub</a> · GraphQL-Playground
        </h1>
        <div className="playground-auth">
          <SignIn
            session={session}
            publicNote="Ohne Anmeldung fragen Sie als Öffentlichkeit. Demo-Konten: siehe README (Passwort buendnis-demo-2026)."
          />
          {!session && <TokenForm />}
        </div>
      </header>
      <StatusNotices />
      <main id="graphiql" className="playground-editor">
        <GraphiQL
          fetcher={fetcher}
          defaultTabs={defaultTabs}
          plugins={plugins}
          visiblePlugin={EXAMPLES_PLUGIN}
          defaultEditorToolsVisibility="variables"
          shouldPersistHeaders={false}
        >
          <GraphiQL.Logo>Bündnis Hub</GraphiQL.Logo>
          <GraphiQL.Toolbar>
            {({ prettify, merge, copy }) => (
              <>
                {prettify}
                {merge}
                {copy}
                <HeaderSync token={token} />
                <FirstTabVariables />
              </>
            )}
          </GraphiQL.Toolbar>
        </GraphiQL>
      </main>
    </div>
  );
}
