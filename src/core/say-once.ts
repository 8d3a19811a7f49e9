/**
 * A log function that passes each distinct message on once. A tuned run scores the baselines on every fold and then
 * on the test set: the same "baseline most-popular left out: ..." would otherwise be printed once per fold, and a
 * line repeated word for word tells the reader nothing the first one did not.
 */
export function sayOnce(say: (message: string) => void): (message: string) => void {
  const said = new Set<string>();
  return (message) => {
    if (said.has(message)) return;
    said.add(message);
    say(message);
  };
}
