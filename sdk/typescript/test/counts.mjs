// A node:test reporter that counts the tests (not their suites) and writes "passed=N failed=N skipped=N" at the end,
// the line scripts/test-sdks.sh sums into the closing line. A test cancelled because its suite's hook failed is failed.
export default async function* counts(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { details, skip, todo } = event.data;
    if (details?.type === "suite") {
      // A suite fails alone when a hook of it failed after its tests (an after hook): one failure more.
      if (event.type === "test:fail" && details.error?.failureType === "hookFailed") failed++;
      continue;
    }
    if (skip || todo) skipped++;
    else if (event.type === "test:pass") passed++;
    else failed++;
  }
  yield `passed=${passed} failed=${failed} skipped=${skipped}\n`;
}
