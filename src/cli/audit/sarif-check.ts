/**
 * Checks a SARIF log for the properties SARIF 2.1.0 requires of the objects Warden writes, so
 * tests catch a log that code-scanning tools would reject. Returns the problems found.
 */
export function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  const root = log as Record<string, unknown>;
  if (root['version'] !== '2.1.0') problems.push('version is not "2.1.0"');
  if (typeof root['$schema'] !== 'string' || !/sarif/i.test(root['$schema']))
    problems.push('$schema does not name a SARIF schema');
  const runs = root['runs'];
  if (!Array.isArray(runs) || runs.length === 0)
    return [...problems, 'runs is not a non-empty array'];

  runs.forEach((run: Record<string, any>, index) => {
    const driver = run['tool']?.['driver'];
    if (typeof driver?.['name'] !== 'string')
      problems.push(`runs[${index}].tool.driver.name is missing`);
    const rules: unknown[] = Array.isArray(driver?.['rules']) ? driver['rules'] : [];
    rules.forEach((rule: any, ruleIndex) => {
      if (typeof rule?.id !== 'string') problems.push(`runs[${index}] rule ${ruleIndex} has no id`);
    });
    if (!Array.isArray(run['results'])) problems.push(`runs[${index}].results is not an array`);
    (run['results'] ?? []).forEach((result: any, resultIndex: number) => {
      const where = `runs[${index}].results[${resultIndex}]`;
      if (typeof result?.ruleId !== 'string') problems.push(`${where}.ruleId is missing`);
      if (typeof result?.message?.text !== 'string')
        problems.push(`${where}.message.text is missing`);
      if (!['none', 'note', 'warning', 'error', undefined].includes(result?.level))
        problems.push(`${where}.level "${result?.level}" is not a SARIF level`);
      if (
        typeof result?.ruleIndex === 'number' &&
        (rules[result.ruleIndex] as { id?: string } | undefined)?.id !== result.ruleId
      )
        problems.push(`${where}.ruleIndex does not point at rule "${result.ruleId}"`);
    });
    (run['invocations'] ?? []).forEach((invocation: any, invocationIndex: number) => {
      if (typeof invocation?.executionSuccessful !== 'boolean')
        problems.push(
          `runs[${index}].invocations[${invocationIndex}].executionSuccessful is missing`,
        );
    });
  });
  return problems;
}
