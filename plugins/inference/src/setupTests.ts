import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Rendering the MUI components of a whole tab and driving them with user-event takes 1-3 s per test
// alone, and several times that while the full suite runs every workspace in parallel on 2 cores;
// Jest's 5 s default then fails tests that have nothing wrong with them.
jest.setTimeout(30_000);

// For the same reason `findBy…` and `waitFor` wait up to 10 s (testing-library's default is 1 s):
// the Inference page's header tabs alone take over a second to appear on a loaded machine.
configure({ asyncUtilTimeout: 10_000 });
