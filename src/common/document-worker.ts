// The documents' thread (see document-thread.ts).
import { documentFunctions } from './document-thread.js';
import { serveInThread } from './worker-thread.js';

serveInThread(await documentFunctions());
