// A run's own cost, from the running totals the CLI reports.
//
// The CLI's `total_cost_usd` is cumulative twice over: within one process (a cancel's result repeats
// the total of a success result before it), and across runs, because `--resume` restores the
// session's cost. So a run's own cost is its reported total minus what the session had already
// reported; a total below that means the CLI did not restore (say the previous run was killed before
// it saved its cost), and then the total is the run's own.

/** Float sums like 0.002848 - 0.001376 leave noise in the last bits; a billionth of a dollar is plenty. */
const round = (usd: number): number => Math.round(usd * 1e9) / 1e9;

export interface RunCost {
  /** This run began a session other than the one its base belonged to. */
  newSession(): void;
  /** Takes a reported total; returns the run's own cost so far and how much of it is new. */
  observe(reportedTotal: number): { own: number; added: number };
}

/**
 * `sessionBase`: the last total the CLI reported for the session this run resumes (0 if none).
 * `alreadyCounted`: the run's own cost counted so far (a run reattached after a restart).
 */
export function createRunCost(sessionBase: number, alreadyCounted = 0): RunCost {
  let base = sessionBase;
  let counted = alreadyCounted;
  return {
    newSession() {
      base = 0;
    },
    observe(reportedTotal) {
      if (reportedTotal < base) base = 0;
      const own = round(reportedTotal - base);
      const added = own > counted ? round(own - counted) : 0;
      counted = Math.max(counted, own);
      return { own, added };
    },
  };
}
