// The protocol request (DESIGN.md) the page sends for a program. Shared by the page, its worker
// and scripts/build-web.mjs, which precomputes the default scenario's response with it.

// A fixed seed makes every run of the same code print the same numbers.
export const SEED = 0;

// No "outputs": nothing on the page reads response.values, and a learner's `loss` may be a tensor
// of millions of numbers that would only bloat the response.
export function requestFor(code) {
  return { code, seed: SEED };
}
