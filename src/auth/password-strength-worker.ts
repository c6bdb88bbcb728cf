// The strength check's thread (see password-strength-thread.ts).
import { serveInThread } from '../common/worker-thread.js';
import { passwordStrengthFunctions } from './password-strength-thread.js';

serveInThread(await passwordStrengthFunctions());
