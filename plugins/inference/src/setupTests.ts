import '@testing-library/jest-dom';

// Rendering the MUI components of a whole tab and driving them with user-event takes 1-3 s per test
// alone, and several times that while the full suite runs every workspace in parallel on 2 cores;
// Jest's 5 s default then fails tests that have nothing wrong with them.
jest.setTimeout(30_000);
